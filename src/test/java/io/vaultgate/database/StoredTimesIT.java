package io.vaultgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.JdbcConnection;
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
import java.sql.Timestamp;
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
                // The pool's connection is a proxy: the driver's answer must come through it.
                assertThat(status.getConnection().isWrapperFor(JdbcConnection.class))
                        .isTrue();
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

    /**
     * The test URL with the driver converting in Tokyo's zone (the server's session is left as it
     * is: it has no zone tables).
     */
    private String tokyo() {
        return stack().jdbcUrl()
                .replace("&forceConnectionTimeZoneToSession=true", "")
                .replace("connectionTimeZone=UTC", "connectionTimeZone=Asia/Tokyo");
    }

    /**
     * Each instant stored three ways: as Micronaut Data binds an entity's instant (a
     * {@code Timestamp}), as an instant (how KeyRows bound it before), and by hand; answers the
     * rows where the hand-bound time differs from either.
     */
    static List<String> differences(Connection connection) throws SQLException {
        List<String> differing = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE stored_time_probe"
                    + " (as_timestamp DATETIME(6), as_instant DATETIME(6), by_hand DATETIME(6))");
            try {
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO stored_time_probe VALUES (?, ?, ?)")) {
                    for (Instant instant : INSTANTS) {
                        insert.setTimestamp(1, Timestamp.from(instant));
                        insert.setObject(2, instant);
                        insert.setObject(3, StoredTimes.of(connection, instant));
                        insert.executeUpdate();
                    }
                }
                try (ResultSet rows =
                        statement.executeQuery("SELECT as_timestamp, as_instant, by_hand FROM stored_time_probe")) {
                    int count = 0;
                    while (rows.next()) {
                        count++;
                        // Read as wall time, as stored: no zone conversion on the way back.
                        LocalDateTime asTimestamp = rows.getObject(1, LocalDateTime.class);
                        LocalDateTime asInstant = rows.getObject(2, LocalDateTime.class);
                        LocalDateTime byHand = rows.getObject(3, LocalDateTime.class);
                        if (!byHand.equals(asTimestamp) || !byHand.equals(asInstant)) {
                            differing.add(asTimestamp + " / " + asInstant + " != " + byHand);
                        }
                    }
                    assertThat(count).isEqualTo(INSTANTS.size());
                }
            } finally {
                statement.execute("DROP TABLE IF EXISTS stored_time_probe");
            }
        }
        return differing;
    }
}
