package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.delivery.StatementLog;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /v1/projects/{p}/diff} on real OpenBao and MariaDB: keys only one environment
 * resolves, keys resolved from different scopes, the same shared scope, and for admins whether two
 * values are equal, read at the versions MySQL acknowledged. Every value planted holds the
 * canary, and no answer, audit row or log line may.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnvironmentDiffIT extends GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CANARY = "diff-canary-7c41";
    private static final String ACME = "/v1/projects/acme";
    private static final String DIFF = ACME + "/diff?from=staging&to=production";

    @Inject
    MeterRegistry meters;

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "datasources.default.url", stack().jdbcUrl() + "&queryInterceptors=" + StatementLog.class.getName());
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        catalog("acme", List.of("api", "worker", "web"));
        ok(api.put(ACME + "/environments/staging/services/api", null));
        ok(api.put(ACME + "/environments/production/services/api", null));
        ok(api.put(ACME + "/environments/staging/services/worker", null));
        ok(api.put(ACME + "/environments/production/services/web", null));
        // The same source on both sides: equal by construction.
        set(ACME, "SHARED", CANARY + "-shared");
        set(ACME + "/services/api", "API_SHARED", CANARY + "-api");
        // Each environment its own, unequal.
        set(ACME + "/environments/staging", "DB_URL", CANARY + "-db-staging");
        set(ACME + "/environments/production", "DB_URL", CANARY + "-db-production");
        // Overridden at environment scope in staging only, to the value production inherits.
        set(ACME, "LOG_LEVEL", CANARY + "-info");
        set(ACME + "/environments/staging", "LOG_LEVEL", CANARY + "-info");
        // Staging's environment type against production's service in environment: unequal.
        set(ACME + "/environment-types/staging", "TIMEOUT", CANARY + "-30");
        set(ACME + "/environments/production/services/api", "TIMEOUT", CANARY + "-31");
        // Only one side.
        set(ACME + "/environments/staging", "ONLY_STAGING", CANARY + "-only-staging");
        set(ACME + "/environments/production/services/api", "ONLY_PRODUCTION", CANARY + "-only-production");
    }

    @Test
    void keysOnlyInOneEnvironmentAndKeysFromDifferentScopesAreListedPerService() {
        Answer answer = api.get(DIFF);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode diff = answer.json();
        assertThat(diff.path("from").path("environmentType").asText()).isEqualTo("staging");
        assertThat(diff.path("to").path("environmentType").asText()).isEqualTo("production");
        assertThat(diff.path("valuesCompared").asBoolean()).isFalse();
        assertThat(deployedIn(diff))
                .containsExactly(Map.entry("api", "both"), Map.entry("web", "to"), Map.entry("worker", "from"));

        Map<String, JsonNode> keys = keysOf(diff, "api");
        assertThat(keys.keySet())
                .containsExactly(
                        "API_SHARED", "DB_URL", "LOG_LEVEL", "ONLY_PRODUCTION", "ONLY_STAGING", "SHARED", "TIMEOUT");
        assertThat(keys.get("ONLY_STAGING").path("onlyIn").asText()).isEqualTo("from");
        assertThat(keys.get("ONLY_STAGING").path("fromSource").path("scope").asText())
                .isEqualTo(ACME + "/environments/staging");
        assertThat(keys.get("ONLY_STAGING").has("toSource")).isFalse();
        assertThat(keys.get("ONLY_PRODUCTION").path("onlyIn").asText()).isEqualTo("to");
        assertThat(keys.get("ONLY_PRODUCTION")
                        .path("toSource")
                        .path("scopeKind")
                        .asText())
                .isEqualTo("service-in-environment");
        assertSources(keys.get("DB_URL"), "environment", "environment");
        assertSources(keys.get("LOG_LEVEL"), "environment", "project");
        assertSources(keys.get("TIMEOUT"), "environment-type", "service-in-environment");
        for (String same : List.of("SHARED", "API_SHARED")) {
            assertThat(keys.get(same).path("sameSource").asBoolean()).as(same).isTrue();
            assertThat(keys.get(same).path("fromSource"))
                    .isEqualTo(keys.get(same).path("toSource"));
        }
        keys.values()
                .forEach(key -> assertThat(key.has("equal"))
                        .as("no values without values=true")
                        .isFalse());
        JsonNode summary = diff.path("summary");
        assertThat(summary.path("keysOnlyInFrom").asInt()).isEqualTo(1);
        assertThat(summary.path("keysOnlyInTo").asInt()).isEqualTo(1);
        assertThat(summary.path("keysFromDifferentSources").asInt()).isEqualTo(3);
        assertThat(summary.path("keysFromSameSource").asInt()).isEqualTo(2);
        assertThat(summary.path("keysUnequal").isNull()).isTrue();
        assertThat(summary.path("servicesOnlyInFrom").asInt()).isEqualTo(1);
        assertThat(summary.path("servicesOnlyInTo").asInt()).isEqualTo(1);
        assertThat(answer.body()).doesNotContain(CANARY);
    }

    @Test
    void aServiceNarrowsTheComparisonToThatService() {
        JsonNode diff = api.get(DIFF + "&service=worker").json();

        assertThat(diff.path("service").asText()).isEqualTo("worker");
        assertThat(deployedIn(diff)).containsExactly(Map.entry("worker", "from"));
    }

    @Test
    void anAdminLearnsWhetherValuesAreEqualAndTheComparisonIsAuditedWithoutAValue() throws Exception {
        long auditRows = count("SELECT COUNT(*) FROM audit_log WHERE action = 'diff.compare-values'");
        Answer answer;
        try (LogCapture logs = new LogCapture()) {
            answer = api.send("GET", DIFF + "&values=true", null, Map.of("X-Request-Id", "diff-values-1"));
            assertThat(logs.text()).doesNotContain(CANARY);
        }

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain(CANARY);
        JsonNode diff = answer.json();
        assertThat(diff.path("valuesCompared").asBoolean()).isTrue();
        Map<String, JsonNode> keys = keysOf(diff, "api");
        assertThat(keys.get("DB_URL").path("equal").asBoolean()).isFalse();
        assertThat(keys.get("TIMEOUT").path("equal").asBoolean()).isFalse();
        assertThat(keys.get("LOG_LEVEL").path("equal").asBoolean()).isTrue();
        assertThat(keys.get("SHARED").path("equal").asBoolean()).isTrue();
        assertThat(keys.get("ONLY_STAGING").has("equal")).isFalse();
        assertThat(diff.path("summary").path("keysUnequal").asInt()).isEqualTo(2);

        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'diff.compare-values'"))
                .isEqualTo(auditRows + 1);
        Map<String, String> row = auditRow("diff-values-1");
        assertThat(row.get("outcome")).isEqualTo("succeeded");
        assertThat(row.get("key_names")).isEqualTo("DB_URL,LOG_LEVEL,TIMEOUT");
        assertThat(row.get("scope")).isEqualTo(DIFF);
        assertThat(databaseDump()).doesNotContain(CANARY);
    }

    @Test
    void aProjectAdminMayCompareValues() {
        ApiClient projectAdmin = operator("project-admin");

        Answer answer = projectAdmin.get(DIFF + "&values=true");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(keysOf(answer.json(), "api").get("DB_URL").path("equal").asBoolean())
                .isFalse();
    }

    @Test
    void aDeployerComparesKeysButIsRefusedValuesAndTheRefusalIsAudited() throws Exception {
        ApiClient deployer = operator("deployer");

        Answer keys = deployer.get(DIFF);
        Answer values = deployer.send("GET", DIFF + "&values", null, Map.of("X-Request-Id", "diff-deployer-1"));

        assertThat(keys.status()).as(keys.body()).isEqualTo(200);
        assertThat(values.status()).isEqualTo(403);
        assertThat(values.contentType()).startsWith("application/problem+json");
        assertThat(values.code()).isEqualTo("forbidden");
        assertThat(values.json().path("detail").asText()).contains("values=true needs a project admin token");
        assertThat(values.body()).doesNotContain(CANARY);
        Map<String, String> row = auditRow("diff-deployer-1");
        assertThat(row.get("outcome")).isEqualTo("refused");
        assertThat(row.get("error_code")).isEqualTo("forbidden");
    }

    @Test
    void badInputIsRefusedWithAStableCode() {
        assertProblem(api.get(ACME + "/diff?from=staging&to=nowhere"), 404, "environment-not-found", "nowhere");
        assertProblem(api.get(ACME + "/diff?from=nowhere&to=production"), 404, "environment-not-found", "nowhere");
        assertProblem(api.get("/v1/projects/nope/diff?from=staging&to=production"), 404, "project-not-found", "nope");
        assertProblem(api.get(DIFF + "&service=nope"), 404, "service-not-found", "nope");
        assertProblem(api.get(ACME + "/diff?from=staging&to=staging"), 400, "invalid-request", "two different");
        assertProblem(api.get(ACME + "/diff?from=staging"), 400, "invalid-request", "'to' is required");
        assertProblem(api.get(ACME + "/diff?to=staging"), 400, "invalid-request", "'from' is required");
        assertProblem(api.get(DIFF + "&values=yes"), 400, "invalid-request", "values is true or false");
        assertProblem(api.get(ACME + "/diff?from=Staging&to=production"), 400, "invalid-slug", "from");
    }

    @Test
    void valuesAreReadAtTheAcknowledgedVersionsOneReadPerScopeEntry() throws Exception {
        catalog("beta", List.of("api"));
        String beta = "/v1/projects/beta";
        ok(api.put(beta + "/environments/staging/services/api", null));
        ok(api.put(beta + "/environments/production/services/api", null));
        set(beta + "/environments/staging", "TOKEN", CANARY + "-a");
        set(beta + "/environments/production", "TOKEN", CANARY + "-b");
        set(beta + "/environments/staging", "SAME", CANARY + "-same");
        set(beta + "/environments/production", "SAME", CANARY + "-same");
        // A version Vault took that MySQL never acknowledged (a write caught between the two stores):
        // staging's entry now holds production's values, but its deployments still boot with the old.
        writeVaultDirectly("beta/env/staging", Map.of("TOKEN", CANARY + "-b", "SAME", CANARY + "-same"));
        api.get(beta + "/diff?from=staging&to=production&values=true"); // the token's lookup, cached

        // The counter also counts this gateway's background calls to Vault, which only ever add: the
        // fewest requests seen over a few comparisons are the comparison's own.
        JsonNode diff = null;
        double reads = Double.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && reads > 2.0; attempt++) {
            double before = vaultRequests();
            diff = api.get(beta + "/diff?from=staging&to=production&values=true")
                    .json();
            reads = Math.min(reads, vaultRequests() - before);
        }

        Map<String, JsonNode> keys = keysOf(diff, "api");
        assertThat(keys.get("TOKEN").path("equal").asBoolean())
                .as("the acknowledged values differ")
                .isFalse();
        assertThat(keys.get("SAME").path("equal").asBoolean()).isTrue();
        assertThat(reads).as("one read per scope entry, two keys each").isEqualTo(2.0);
    }

    @Test
    void aComparisonCostsTheSameStatementsWhateverTheNumberOfServicesAndKeys() {
        catalog("small", List.of("api"));
        ok(api.put("/v1/projects/small/environments/staging/services/api", null));
        ok(api.put("/v1/projects/small/environments/production/services/api", null));
        set("/v1/projects/small/environments/staging", "ONE", CANARY);
        List<String> services = List.of("s1", "s2", "s3", "s4", "s5", "s6");
        catalog("large", services);
        for (String service : services) {
            ok(api.put("/v1/projects/large/environments/staging/services/" + service, null));
            ok(api.put("/v1/projects/large/environments/production/services/" + service, null));
            importKeys("/v1/projects/large/environments/staging/services/" + service, 40);
        }
        importKeys("/v1/projects/large/environments/staging", 40);
        importKeys("/v1/projects/large/environments/production", 40);

        List<String> small = statementsOf("/v1/projects/small/diff?from=staging&to=production&values=true");
        List<String> large = statementsOf("/v1/projects/large/diff?from=staging&to=production&values=true");

        assertThat(large).as("large: %s%nsmall: %s", large, small).hasSameSizeAs(small);
    }

    private List<String> statementsOf(String path) {
        assertThat(api.get(path).status()).isEqualTo(200); // warm: the token's lookup, prepared statements
        StatementLog.ENTRIES.clear();
        Answer answer = api.get(path);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return StatementLog.ENTRIES.stream()
                .filter(e -> !e.thread().contains("scheduled") && !e.thread().equals("webhook-dispatcher"))
                .map(StatementLog.Entry::sql)
                .filter(sql -> !sql.strip().equalsIgnoreCase("SELECT 1") && !sql.startsWith("/* ping */"))
                // The token's authentication, cached for a while: a look-up may land in either request.
                .filter(sql -> !sql.contains("issued_token"))
                .toList();
    }

    private void importKeys(String scope, int count) {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < count; i++) {
            keys.put("KEY_" + i, CANARY + "-" + scope.hashCode() + "-" + i);
        }
        ok(api.post(scope + "/import", keys));
    }

    private void catalog(String project, List<String> services) {
        ok(api.put("/v1/projects/" + project, null));
        ok(api.put("/v1/projects/" + project + "/environments/staging", json("type", "staging")));
        ok(api.put("/v1/projects/" + project + "/environments/production", json("type", "production")));
        services.forEach(service -> ok(api.put("/v1/projects/" + project + "/services/" + service, null)));
    }

    private void set(String scope, String key, String value) {
        ok(api.put(scope + "/secrets/" + key, json("value", value)));
    }

    private ApiClient operator(String role) {
        Answer minted = api.post(ACME + "/operator-tokens", json("role", role, "ttlSeconds", 600));
        ok(minted);
        return api.withToken(minted.json().path("token").asText());
    }

    private double vaultRequests() {
        return meters.find("vaultgate.vault.requests").functionCounter().count();
    }

    private void writeVaultDirectly(String entryPath, Map<String, String> values) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack().vaultAddress() + "/v1/" + stack().kvMount() + "/data/"
                                        + stack().pathPrefix() + "/" + entryPath))
                                .header("X-Vault-Token", stack().rootToken())
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        JSON.writeValueAsString(Map.of("data", values))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private Map<String, String> auditRow(String requestId) throws Exception {
        try (Connection connection = database();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT outcome, key_names, scope, error_code FROM audit_log WHERE request_id = ?")) {
            statement.setString(1, requestId);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).as("an audit row for " + requestId).isTrue();
                Map<String, String> row = new HashMap<>();
                for (String column : List.of("outcome", "key_names", "scope", "error_code")) {
                    row.put(column, rows.getString(column));
                }
                assertThat(rows.next()).as("one audit row for " + requestId).isFalse();
                return row;
            }
        }
    }

    private static Map<String, String> deployedIn(JsonNode diff) {
        Map<String, String> deployedIn = new LinkedHashMap<>();
        diff.path("services")
                .forEach(s -> deployedIn.put(
                        s.path("service").asText(), s.path("deployedIn").asText()));
        return deployedIn;
    }

    private static Map<String, JsonNode> keysOf(JsonNode diff, String service) {
        Map<String, JsonNode> keys = new LinkedHashMap<>();
        for (JsonNode s : diff.path("services")) {
            if (s.path("service").asText().equals(service)) {
                s.path("keys").forEach(key -> keys.put(key.path("key").asText(), key));
            }
        }
        return keys;
    }

    private static void assertSources(JsonNode key, String fromKind, String toKind) {
        assertThat(key.has("onlyIn")).as(key.toString()).isFalse();
        assertThat(key.path("sameSource").asBoolean()).as(key.toString()).isFalse();
        assertThat(key.path("fromSource").path("scopeKind").asText())
                .as(key.toString())
                .isEqualTo(fromKind);
        assertThat(key.path("toSource").path("scopeKind").asText())
                .as(key.toString())
                .isEqualTo(toKind);
    }

    private static void assertProblem(Answer answer, int status, String code, String detailPart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.code()).as(answer.body()).isEqualTo(code);
        assertThat(answer.json().path("detail").asText() + " "
                        + answer.json().path("field").asText())
                .contains(detailPart);
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
    }
}
