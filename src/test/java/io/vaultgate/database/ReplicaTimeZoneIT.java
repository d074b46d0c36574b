package io.vaultgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.GatewayProcess;
import io.vaultgate.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica whose host runs in another time zone (Tokyo, nine hours ahead of UTC), given a plain
 * JDBC URL as the README's production section shows it, on real OpenBao and MariaDB. Replicas
 * compare the times others wrote (how long a write has been pending), so every replica must store
 * them in one zone, UTC, whatever its host's: this one wrote its own wall time, nine hours off.
 * That holds for the rows whose times are bound by hand too ({@link StoredTimes}: a key's rows and
 * their history), which would be nine hours off were the JVM's zone taken, as for those Micronaut
 * Data binds (the project, the audit log, a token's record).
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
class ReplicaTimeZoneIT extends GatewayTest {

    @Test
    void aReplicaInAnotherTimeZoneStoresTimesInUtc() throws Exception {
        Map<String, String> properties = new HashMap<>(stack().gatewayProperties());
        properties.remove("vaultgate.vault.token");
        properties.remove("micronaut.server.port");
        properties.put(
                "datasources.default.url",
                stack().jdbcUrl().replace("&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true", ""));
        assertThat(properties.get("datasources.default.url")).doesNotContain("TimeZone");
        Path log = Files.createTempFile("tokyo-gateway", ".log");
        try (GatewayProcess tokyo = GatewayProcess.start(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                List.of("-Xmx512m", "-Duser.timezone=Asia/Tokyo"),
                properties,
                Map.of("VAULT_TOKEN", stack().gatewayToken()),
                log)) {
            ApiClient api = new ApiClient(tokyo.address(), stack().adminToken());
            Answer created = api.put("/v1/projects/tokyo", null);
            assertThat(created.status()).as(created.toString()).isBetween(200, 201);
            // A key's rows and their history have their times bound by hand (database.StoredTimes);
            // an operator token's record and the audit rows through Micronaut Data.
            Answer set = api.put("/v1/projects/tokyo/secrets/WHEN", Map.of("value", "now"));
            assertThat(set.status()).as(set.toString()).isBetween(200, 201);
            Answer minted =
                    api.post("/v1/projects/tokyo/operator-tokens", Map.of("role", "deployer", "ttlSeconds", 600));
            assertThat(minted.status()).as(minted.toString()).isEqualTo(201);
        } finally {
            Files.deleteIfExists(log);
        }

        assertStoredNearUtcNow("project.created_at", "SELECT created_at AS t FROM project WHERE slug = 'tokyo'");
        assertStoredNearUtcNow(
                "audit_log.recorded_at",
                "SELECT a.recorded_at AS t FROM audit_log a JOIN project p ON p.id = a.project_id"
                        + " WHERE p.slug = 'tokyo'");
        assertStoredNearUtcNow(
                "secret.created_at",
                "SELECT s.created_at AS t FROM secret s JOIN scope_entry e ON e.id = s.scope_entry_id"
                        + " JOIN project p ON p.id = e.project_id WHERE p.slug = 'tokyo' AND s.key_name = 'WHEN'");
        assertStoredNearUtcNow(
                "secret_version.created_at",
                "SELECT v.created_at AS t FROM secret_version v JOIN secret s ON s.id = v.secret_id"
                        + " JOIN scope_entry e ON e.id = s.scope_entry_id JOIN project p ON p.id = e.project_id"
                        + " WHERE p.slug = 'tokyo' AND s.key_name = 'WHEN'");
        assertStoredNearUtcNow(
                "issued_token.created_at", "SELECT created_at AS t FROM issued_token WHERE project = 'tokyo'");
        assertStoredNearUtcNow(
                "issued_token.expires_at less its ttl",
                "SELECT expires_at - INTERVAL 600 SECOND AS t FROM issued_token WHERE project = 'tokyo'");
    }

    /** Every time {@code query} answers (as {@code t}) is within five minutes of UTC now, and there is at least one. */
    private void assertStoredNearUtcNow(String what, String query) throws Exception {
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT TIMESTAMPDIFF(SECOND, t, UTC_TIMESTAMP()) FROM (" + query + ") AS stored")) {
            int count = 0;
            while (rows.next()) {
                count++;
                assertThat(Math.abs(rows.getLong(1)))
                        .as("seconds between %s and UTC now", what)
                        .isLessThan(300);
            }
            assertThat(count).as("rows of %s", what).isPositive();
        }
    }
}
