package io.vaultgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A time bound by hand as {@link StoredTimes} converts it is stored exactly as Connector/J stores
 * the same instant bound as an instant, on real MariaDB: on the gateway's own pool (UTC), and on
 * connections whose URL asks for another zone or for no instant preservation.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
class StoredTimesIT extends GatewayTest {

    private static final List<Instant> INSTANTS = List.of(
            Instant.parse("2026-01-15T12:34:56.123456Z"),
            Instant.parse("2026-07-15T23:59:59.999999Z"),
            Instant.parse("2026-03-29T01:30:00Z"),
            Instant.now());

    @Inject
    TransactionOperations<Connection> transactions;

    @Test
    void aTimeBoundByHandOnTheGatewaysPoolIsStoredAsTheDriverStoresTheInstant() {
        List<String> differing = transactions.executeWrite(status -> {
            try {
                assertThat(StoredTimes.zoneOf(status.getConnection())).isEqualTo(ZoneId.of("UTC"));
                return differences(status.getConnection());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(differing).isEmpty();
    }

    @Test
    void aConnectionInAnotherZoneGetsItsOwnZone() throws SQLException {
        String url = tokyo();
        assertThat(url).contains("connectionTimeZone=Asia/Tokyo");
        try (Connection tokyo = DriverManager.getConnection(url, stack().jdbcUser(), stack().jdbcPassword())) {
            assertThat(StoredTimes.zoneOf(tokyo)).isEqualTo(ZoneId.of("Asia/Tokyo"));
            assertThat(differences(tokyo)).isEmpty();
        }
    }

    @Test
    void aConnectionThatDoesNotPreserveInstantsGetsTheJvmsZone() throws SQLException {
        String url = tokyo() + "&preserveInstants=false";
        try (Connection local = DriverManager.getConnection(url, stack().jdbcUser(), stack().jdbcPassword())) {
            assertThat(StoredTimes.zoneOf(local)).isEqualTo(ZoneId.systemDefault());
            assertThat(differences(local)).isEmpty();
        }
    }

    /** The test URL with the driver converting in Tokyo's zone (the server's session is left as it is: it has no zone tables). */
    private String tokyo() {
        return stack().jdbcUrl()
                .replace("&forceConnectionTimeZoneToSession=true", "")
                .replace("connectionTimeZone=UTC", "connectionTimeZone=Asia/Tokyo");
    }

    /** Each instant stored both ways; answers the pairs that differ. */
    static List<String> differences(Connection connection) throws SQLException {
        List<String> differing = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE stored_time_probe (as_instant DATETIME(6), by_hand DATETIME(6))");
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO stored_time_probe VALUES (?, ?)")) {
                for (Instant instant : INSTANTS) {
                    insert.setObject(1, instant);
                    insert.setObject(2, StoredTimes.of(connection, instant));
                    insert.executeUpdate();
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT as_instant, by_hand FROM stored_time_probe")) {
                int count = 0;
                while (rows.next()) {
                    count++;
                    // Read as wall time, as stored: no zone conversion on the way back.
                    LocalDateTime asInstant = rows.getObject(1, LocalDateTime.class);
                    LocalDateTime byHand = rows.getObject(2, LocalDateTime.class);
                    if (!asInstant.equals(byHand)) {
                        differing.add(asInstant + " != " + byHand);
                    }
                }
                assertThat(count).isEqualTo(INSTANTS.size());
            }
            statement.execute("DROP TABLE stored_time_probe");
        }
        return differing;
    }
}
