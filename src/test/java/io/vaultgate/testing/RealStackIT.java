package io.vaultgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proves the test support itself: real servers, the applied vault-config, isolation per class. */
@RealParts
class RealStackIT {

    private final RealStack stack = RealStack.forClass(RealStackIT.class);

    /** Stands in for a second test class, to show that classes do not share a database. */
    static final class AnotherTestClass {}

    @Test
    void shouldGiveEachTestClassItsOwnFreshDatabase() throws Exception {
        assertThat(RealStack.forClass(RealStackIT.class)).isSameAs(stack);
        assertThat(stack.jdbcUrl()).contains(stack.databaseName()).contains("connectionTimeZone=UTC");

        try (Connection connection =
                        DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
                Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT DATABASE()")).isEqualTo(stack.databaseName());
            // connectionTimeZone=UTC + forceConnectionTimeZoneToSession: the session runs in UTC,
            // also on a MariaDB without time zone tables.
            assertThat(single(statement, "SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW())"))
                    .isEqualTo("0");
            assertThat(single(
                            statement,
                            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"))
                    .isEqualTo("0");
            statement.execute("CREATE TABLE probe (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(64) NOT NULL)");
            statement.execute("INSERT INTO probe (name) VALUES ('first')");
            assertThat(single(statement, "SELECT name FROM probe")).isEqualTo("first");
        }

        RealStack other = RealStack.forClass(AnotherTestClass.class);
        try {
            assertThat(other.jdbcUrl()).isNotEqualTo(stack.jdbcUrl());
            assertThat(other.pathPrefix()).isNotEqualTo(stack.pathPrefix());
            try (Connection connection =
                            DriverManager.getConnection(other.jdbcUrl(), other.jdbcUser(), other.jdbcPassword());
                    Statement statement = connection.createStatement()) {
                assertThat(single(
                                statement,
                                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"))
                        .isEqualTo("0");
            }
        } finally {
            RealStack.release(AnotherTestClass.class, true);
        }
        assertThat(databaseExists(other.databaseName())).isFalse();
    }

    @Test
    void shouldLetTheGatewayTokenWriteAndReadItsEntriesWithCheckAndSet() {
        VaultHttp vault = new VaultHttp(stack.vaultAddress());
        String entry = stack.kvMount() + "/data/" + stack.pathPrefix() + "/x";

        VaultHttp.Response created = vault.call(
                "POST",
                entry,
                stack.gatewayToken(),
                Map.of("options", Map.of("cas", 0), "data", Map.of("DATABASE_URL", "postgres://db/x")));
        assertThat(created.status()).as(created.errors()).isEqualTo(200);
        assertThat(created.body().path("data").path("version").asInt()).isEqualTo(1);

        VaultHttp.Response stale = vault.call(
                "POST",
                entry,
                stack.gatewayToken(),
                Map.of("options", Map.of("cas", 0), "data", Map.of("DATABASE_URL", "lost")));
        assertThat(stale.status()).as("a stale cas is refused").isEqualTo(400);

        VaultHttp.Response updated = vault.call(
                "POST",
                entry,
                stack.gatewayToken(),
                Map.of("options", Map.of("cas", 1), "data", Map.of("DATABASE_URL", "postgres://db/y")));
        assertThat(updated.status()).as(updated.errors()).isEqualTo(200);

        JsonNode read = vault.require("GET", entry + "?version=1", stack.gatewayToken(), null);
        assertThat(read.path("data").path("data").path("DATABASE_URL").asText()).isEqualTo("postgres://db/x");

        JsonNode metadata = vault.require(
                "GET", stack.kvMount() + "/metadata/" + stack.pathPrefix() + "/x", stack.gatewayToken(), null);
        assertThat(metadata.path("data").path("current_version").asInt()).isEqualTo(2);
        JsonNode listing = vault.require(
                "GET", stack.kvMount() + "/metadata/" + stack.pathPrefix() + "/?list=true", stack.gatewayToken(), null);
        assertThat(listing.path("data").path("keys").toString()).contains("\"x\"");

        JsonNode rootView = vault.require("GET", entry, stack.rootToken(), null);
        assertThat(rootView.path("data").path("data").path("DATABASE_URL").asText())
                .isEqualTo("postgres://db/y");
    }

    @Test
    void shouldDenyTheGatewayTokenEverythingOutsideItsPolicy() {
        VaultHttp vault = new VaultHttp(stack.vaultAddress());
        String gateway = stack.gatewayToken();

        assertThat(vault.call("GET", "sys/policies/acl?list=true", gateway, null)
                        .status())
                .isEqualTo(403);
        assertThat(vault.call("POST", "secret/data/x", gateway, Map.of("data", Map.of("K", "v")))
                        .status())
                .isEqualTo(403);
        assertThat(vault.call("POST", "sys/mounts/elsewhere", gateway, Map.of("type", "kv"))
                        .status())
                .isEqualTo(403);
        assertThat(vault.call("POST", "auth/token/create", gateway, Map.of()).status())
                .isEqualTo(403);
        // Soft delete and destroy are not gateway actions.
        String entry = stack.pathPrefix() + "/denied";
        vault.require("POST", stack.kvMount() + "/data/" + entry, gateway, Map.of("data", Map.of("K", "v")));
        assertThat(vault.call("DELETE", stack.kvMount() + "/data/" + entry, gateway, null)
                        .status())
                .isEqualTo(403);
        assertThat(vault.call("DELETE", stack.kvMount() + "/metadata/" + entry, gateway, null)
                        .status())
                .isEqualTo(403);
        assertThat(vault.call("PUT", stack.kvMount() + "/destroy/" + entry, gateway, Map.of("versions", List.of(1)))
                        .status())
                .isEqualTo(403);

        JsonNode self = vault.require("GET", "auth/token/lookup-self", gateway, null);
        assertThat(policies(self)).containsExactly("vaultgate-gateway");
    }

    @Test
    void shouldLetTheGatewayLookUpCallersAndSeeWhoIsAdmin() {
        VaultHttp vault = new VaultHttp(stack.vaultAddress());

        JsonNode admin =
                vault.require("POST", "auth/token/lookup", stack.gatewayToken(), Map.of("token", stack.adminToken()));
        assertThat(policies(admin)).contains("vaultgate-admin", "default");

        String nobody = stack.createToken();
        JsonNode caller = vault.require("POST", "auth/token/lookup", stack.gatewayToken(), Map.of("token", nobody));
        assertThat(policies(caller)).containsExactly("default");

        VaultHttp.Response unknown = vault.call(
                "POST",
                "auth/token/lookup",
                stack.gatewayToken(),
                Map.of("token", "not-a-token-" + RealStack.randomHex(8)));
        assertThat(unknown.status()).isEqualTo(403); // Vault's answer for a bad token: the gateway maps it to 401
    }

    @Test
    void shouldApplyVaultConfigToTheMount() {
        VaultHttp vault = new VaultHttp(stack.vaultAddress());
        JsonNode config = vault.require("GET", stack.kvMount() + "/config", stack.rootToken(), null);
        assertThat(config.path("data").path("max_versions").asInt()).isEqualTo(100);

        JsonNode mount = vault.require("GET", "sys/mounts/" + stack.kvMount(), stack.rootToken(), null);
        assertThat(mount.path("data").path("type").asText()).isEqualTo("kv");
        assertThat(mount.path("data").path("options").path("version").asText()).isEqualTo("2");
    }

    @Test
    void shouldLetTestsInjectFailuresThroughPolicies() {
        VaultHttp vault = new VaultHttp(stack.vaultAddress());
        String policy = "it-deny-" + stack.pathPrefix();
        stack.writePolicy(
                policy,
                "path \"" + stack.kvMount() + "/data/" + stack.pathPrefix() + "/*\" {\n"
                        + "  capabilities = [\"read\"]\n}\n");
        String readOnly = stack.createToken(policy);

        VaultHttp.Response write = vault.call(
                "POST",
                stack.kvMount() + "/data/" + stack.pathPrefix() + "/y",
                readOnly,
                Map.of("data", Map.of("K", "v")));
        assertThat(write.status()).isEqualTo(403);
        vault.require("DELETE", "sys/policies/acl/" + policy, stack.rootToken(), null);
    }

    @Test
    void shouldDescribeTheGatewayInProductionModeOnThisStack() {
        Map<String, String> properties = stack.gatewayProperties();
        assertThat(properties)
                .containsEntry("datasources.default.url", stack.jdbcUrl())
                .containsEntry("datasources.default.dialect", "MYSQL")
                .containsEntry("vaultgate.vault.token", stack.gatewayToken())
                .containsEntry("vaultgate.vault.mount", "vaultgate")
                .containsEntry("vaultgate.vault.path-prefix", stack.pathPrefix())
                .containsEntry("micronaut.server.port", "-1");
        assertThat(stack.toString()).doesNotContain(stack.rootToken()).doesNotContain(stack.gatewayToken());
    }

    private static List<String> policies(JsonNode lookup) {
        List<String> policies = new ArrayList<>();
        lookup.path("data").path("policies").forEach(p -> policies.add(p.asText()));
        return policies;
    }

    private static String single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private boolean databaseExists(String name) throws Exception {
        try (Connection connection = stack.servers().connectToServer();
                Statement statement = connection.createStatement()) {
            return !single(
                            statement,
                            "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '" + name + "'")
                    .equals("0");
        }
    }
}
