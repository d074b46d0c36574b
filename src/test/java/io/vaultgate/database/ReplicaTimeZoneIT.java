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
            Answer created = new ApiClient(tokyo.address(), stack().adminToken()).put("/v1/projects/tokyo", null);
            assertThat(created.status()).as(created.toString()).isBetween(200, 201);
        } finally {
            Files.deleteIfExists(log);
        }

        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP()) FROM project WHERE slug = 'tokyo'")) {
            assertThat(row.next()).isTrue();
            assertThat(Math.abs(row.getLong(1)))
                    .as("seconds between the stored creation time and UTC now")
                    .isLessThan(300);
        }
    }
}
