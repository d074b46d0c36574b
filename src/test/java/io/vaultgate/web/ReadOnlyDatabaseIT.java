package io.vaultgate.web;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.LocalMariaDb;
import io.vaultgate.testing.RealParts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A failover makes the old primary read-only; a write that reaches it then is refused with
 * MariaDB's 1290 (MySQL's 1290 or 1836), and the same write succeeds once asked again of a
 * writable primary. So it answers 503 {@code metadata-unavailable}, like a lost connection, not
 * 500. On a MariaDB server of the class's own: {@code read_only} is global, and it binds only a
 * user without the READ ONLY ADMIN privilege, as the gateway's own user is in production.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadOnlyDatabaseIT extends GatewayTest {

    private static final String USER = "gateway";
    private static final String PASSWORD = "gateway-only";

    private Path dir;
    private LocalMariaDb db;

    @Override
    protected Map<String, String> extraProperties() {
        try {
            dir = Files.createTempDirectory("vaultgate-read-only");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db = LocalMariaDb.start(dir.resolve("mariadb"), "vaultgate");
        asRoot(
                "FLUSH PRIVILEGES", // the server starts without grant tables; privileges apply from here on
                "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL ON vaultgate.* TO '" + USER + "'@'%'");
        return Map.of(
                "datasources.default.url", db.jdbcUrl("vaultgate"),
                "datasources.default.username", USER,
                "datasources.default.password", PASSWORD);
    }

    @AfterAll
    void stopDatabase() throws IOException {
        db.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void aWriteTheDatabaseRefusesAsReadOnlyIsAnOutageToRetryAndTheRetryWorks() {
        ApiClient api = admin();
        assertThat(api.put("/v1/projects/acme", null).status()).isEqualTo(201);

        Answer catalogWrite;
        Answer secretWrite;
        asRoot("SET GLOBAL read_only = ON");
        try {
            catalogWrite = api.put("/v1/projects/acme/services/api", null);
            secretWrite = api.put("/v1/projects/acme/secrets/LOG_LEVEL", json("value", "info"));
        } finally {
            asRoot("SET GLOBAL read_only = OFF");
        }

        for (Answer refused : new Answer[] {catalogWrite, secretWrite}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.code()).isEqualTo("metadata-unavailable");
        }
        assertThat(api.put("/v1/projects/acme/services/api", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/secrets/LOG_LEVEL", json("value", "info"))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void aConnectionTheReadOnlyPrimaryRefusedIsClosedNotLentAgain() throws InterruptedException {
        ApiClient api = admin();
        api.put("/v1/projects/evict", null);
        Set<Long> before = gatewayConnections();

        asRoot("SET GLOBAL read_only = ON");
        try {
            assertThat(api.put("/v1/projects/evict/secrets/LOG_LEVEL", json("value", "info"))
                            .status())
                    .isEqualTo(503);
        } finally {
            asRoot("SET GLOBAL read_only = OFF");
        }

        // After a failover such a connection still reaches the old primary: the pool must drop it.
        assertThat(before).isNotEmpty();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gatewayConnections().containsAll(before) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(gatewayConnections().containsAll(before))
                .as("the refused connection is closed")
                .isFalse();
    }

    private Set<Long> gatewayConnections() {
        try (Connection root = DriverManager.getConnection(db.jdbcUrl("mysql"), "root", "");
                Statement statement = root.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT id FROM information_schema.processlist WHERE user = '" + USER + "'")) {
            Set<Long> ids = new HashSet<>();
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void asRoot(String... statements) {
        try (Connection root = DriverManager.getConnection(db.jdbcUrl("mysql"), "root", "");
                Statement statement = root.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
