package io.vaultgate.delivery;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.dotenv.Dotenv;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code GET /v1/env} end to end on real OpenBao and MariaDB: formats, ETag, requirements, usage, cost. */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootDeliveryIT extends GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CANARY = "canary-" + UUID.randomUUID();
    private static final String API = "/v1/projects/shop/environments/production/services/api";
    private ApiClient api;
    private EnvClient env;
    private LogCapture logs;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "vaultgate.delivery.access-flush-interval",
                "1s",
                "datasources.default.url",
                stack().jdbcUrl() + "&queryInterceptors=" + StatementLog.class.getName());
    }

    @BeforeAll
    void createCatalog() {
        logs = new LogCapture();
        api = admin();
        env = new EnvClient(URI.create(server.getURL().toString()));
        ok(api.put("/v1/projects/shop", null));
        ok(api.put("/v1/projects/shop/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/shop/environments/staging", json("type", "staging")));
        for (String service : List.of("api", "worker", "web")) {
            ok(api.put("/v1/projects/shop/services/" + service, null));
            ok(api.put("/v1/projects/shop/environments/production/services/" + service, null));
        }
        ok(api.put("/v1/projects/shop/environments/staging/services/api", null));
    }

    @AfterAll
    void stopCapturing() {
        logs.close();
    }

    @Test
    void everyFormatDeliversTheResolvedEnvironmentExactlyAndShellEvalReproducesHostileValues() throws Exception {
        SortedMap<String, String> hostile = EnvFormatTest.hostile();
        String[] scopes = {
            "/v1/projects/shop",
            "/v1/projects/shop/environment-types/production",
            "/v1/projects/shop/environments/production",
            "/v1/projects/shop/services/api",
            API
        };
        int i = 0;
        SortedMap<String, String> expected = new TreeMap<>();
        for (Map.Entry<String, String> e : hostile.entrySet()) {
            String key = "H_" + e.getKey();
            ok(api.put(scopes[i++ % scopes.length] + "/secrets/" + key, json("value", e.getValue())));
            expected.put(key, e.getValue());
        }
        ok(api.put("/v1/projects/shop/secrets/H_CANARY", json("value", CANARY)));
        expected.put("H_CANARY", CANARY);
        String token = mint(API, json());

        EnvClient.Fetch asJson = env.fetch(token, "?format=json", Map.of());
        EnvClient.Fetch byAccept = env.fetch(token, null, Map.of("Accept", "application/json"));
        EnvClient.Fetch dotenv = env.fetch(token, "?format=dotenv", Map.of());
        EnvClient.Fetch dotenvByAccept = env.fetch(token, null, Map.of("Accept", "text/x-dotenv"));
        EnvClient.Fetch shell = env.fetch(token, null, Map.of("Accept", "text/x-shellscript"));

        assertThat(asJson.contentType()).startsWith("application/json");
        assertThat(subset(JSON.readValue(asJson.body(), TreeMap.class), expected))
                .isEqualTo(expected);
        assertThat(byAccept.body()).isEqualTo(asJson.body());
        assertThat(dotenv.contentType()).startsWith("text/x-dotenv");
        assertThat(subset(Dotenv.parse(dotenv.body()), expected)).isEqualTo(expected);
        assertThat(dotenvByAccept.body()).isEqualTo(dotenv.body());
        assertThat(shell.contentType()).startsWith("text/x-shellscript");
        assertThat(shell.body()).startsWith("export ");
        Map<String, String> evaluated =
                EnvFormatTest.evalInSh(shell.body(), expected.keySet(), Files.createTempDirectory("vaultgate-env-it"));
        assertThat(evaluated).isEqualTo(expected);
        assertThat(env.fetch(token, "?format=yaml", Map.of()).status()).isEqualTo(400);
        assertThat(env.fetch(token, null, Map.of("Accept", "image/png")).status())
                .isEqualTo(406);
        // Values reach the workload and nowhere else.
        assertThat(logs.text()).doesNotContain(CANARY);
        assertThat(databaseDump()).doesNotContain(CANARY);
        assertThat(api.get("/v1/projects/shop/audit?size=500").body()).doesNotContain(CANARY);
    }

    @Test
    void theEtagIsTheConfigRevisionAndIfNoneMatchAnswers304WithoutReadingVault() {
        ok(api.put("/v1/projects/shop/services/worker/secrets/E_ONE", json("value", "1")));
        String worker = "/v1/projects/shop/environments/production/services/worker";
        String token = mint(worker, json("numUses", 1));

        EnvClient.Fetch before = fetchAsUnlimited(worker);
        assertThat(before.etag()).matches("\"[0-9a-f]{64}\"");
        // 304s spend none of a one-fetch token's Vault uses: they read nothing.
        for (int i = 0; i < 3; i++) {
            EnvClient.Fetch notModified = env.fetch(token, null, Map.of("If-None-Match", before.etag()));
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.etag()).isEqualTo(before.etag());
        }
        EnvClient.Fetch full = env.fetch(token, null, Map.of("If-None-Match", "\"stale\""));
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.etag()).isEqualTo(before.etag());

        ok(api.put("/v1/projects/shop/services/worker/secrets/E_ONE", json("value", "2")));
        EnvClient.Fetch after = fetchAsUnlimited(worker);
        assertThat(after.etag()).isNotEqualTo(before.etag());
        assertThat(env.fetch(mint(worker, json()), null, Map.of("If-None-Match", before.etag()))
                        .status())
                .isEqualTo(200);
        // The same value written again is answered "unchanged": no new version, so the same revision.
        Answer again = api.put("/v1/projects/shop/services/worker/secrets/E_ONE", json("value", "2"));
        assertThat(again.json().path("operation").asText()).isEqualTo("unchanged");
        assertThat(fetchAsUnlimited(worker).etag()).isEqualTo(after.etag());
    }

    @Test
    void aBootFetchCostsOneSqlStatementWhateverTheNumberOfKeys() throws Exception {
        String web = "/v1/projects/shop/environments/production/services/web";
        String[] scopes = {
            "/v1/projects/shop",
            "/v1/projects/shop/environment-types/production",
            "/v1/projects/shop/environments/production",
            "/v1/projects/shop/services/web",
            web
        };
        for (int k = 0; k < 40; k++) {
            ok(api.put(scopes[k % scopes.length] + "/secrets/MANY_" + k, json("value", "v" + k)));
        }
        ok(api.put("/v1/projects/shop/environment-types/staging/secrets/MANY_STAGING", json("value", "s")));
        String token = mint(web, json());
        env.fetch(token); // warm-up: caches and connections

        StatementLog.ENTRIES.clear();
        EnvClient.Fetch fetched = env.fetch(token);
        List<StatementLog.Entry> statements = requestThreadStatements();

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(statements)
                .as("statements on request threads: %s", statements)
                .hasSize(1);
        Map<String, Object> delivered = JSON.readValue(fetched.body(), new TypeReference<>() {});
        for (int k = 0; k < 40; k++) {
            assertThat(delivered.get("MANY_" + k)).as("MANY_" + k).isEqualTo("v" + k);
        }
        assertThat(delivered).as("a key of another environment type").doesNotContainKey("MANY_STAGING");

        StatementLog.ENTRIES.clear();
        assertThat(env.fetch(token, null, Map.of("If-None-Match", fetched.etag()))
                        .status())
                .isEqualTo(304);
        assertThat(requestThreadStatements()).hasSize(1);
    }

    @Test
    void requirementsAreCheckedAndADeleteThatWouldBreakOneIsRefusedUnlessForced() {
        ok(api.put("/v1/projects/shop/secrets/R_SHARED", json("value", "s")));
        ok(api.put("/v1/projects/shop/environments/staging/secrets/R_STAGING_ONLY", json("value", "x")));
        Answer put = api.put(
                "/v1/projects/shop/services/api/requirements",
                json("keys", List.of("R_SHARED", "R_STAGING_ONLY", "R_NOWHERE")));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(api.put("/v1/projects/shop/services/api/requirements", json("keys", List.of("bad-name")))
                        .code())
                .isEqualTo("invalid-secret-name");

        Answer production = api.get(API + "/check");
        assertThat(production.json().path("missing"))
                .extracting(n -> n.asText())
                .containsExactly("R_NOWHERE", "R_STAGING_ONLY");
        assertThat(production.json().path("satisfied").asBoolean()).isFalse();
        Answer staging = api.get("/v1/projects/shop/environments/staging/services/api/check");
        assertThat(staging.json().path("missing")).extracting(n -> n.asText()).containsExactly("R_NOWHERE");

        Answer refused = api.delete("/v1/projects/shop/secrets/R_SHARED");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("requirement-unresolved");
        assertThat(refused.json().path("deployments"))
                .extracting(n -> n.asText())
                .containsExactlyInAnyOrder("production/api", "staging/api");
        assertThat(refused.json().path("detail").asText())
                .contains("production/api")
                .contains("?force=true");
        assertThat(api.get("/v1/projects/shop/secrets/R_SHARED").status()).isEqualTo(200);

        // Defined more specifically for one deployment: only the other one would break.
        ok(api.put("/v1/projects/shop/environments/staging/secrets/R_SHARED", json("value", "t")));
        assertThat(api.delete("/v1/projects/shop/secrets/R_SHARED").json().path("deployments"))
                .extracting(n -> n.asText())
                .containsExactly("production/api");
        // A key nobody requires deletes freely; force passes a requirement.
        ok(api.put("/v1/projects/shop/secrets/R_FREE", json("value", "f")));
        assertThat(api.delete("/v1/projects/shop/secrets/R_FREE").status()).isEqualTo(204);
        assertThat(api.delete("/v1/projects/shop/secrets/R_SHARED?force=true").status())
                .isEqualTo(204);
        assertThat(api.get(API + "/check").json().path("missing"))
                .extracting(n -> n.asText())
                .containsExactly("R_NOWHERE", "R_SHARED", "R_STAGING_ONLY");
    }

    @Test
    void aSecretShowsWhenItWasLastDeliveredAndHowManyDeploymentsUseIt() throws Exception {
        ok(api.put("/v1/projects/shop/secrets/U_KEY", json("value", "project")));
        ok(api.put("/v1/projects/shop/environments/production/services/worker/secrets/U_KEY", json("value", "own")));
        Answer before = api.get("/v1/projects/shop/secrets/U_KEY");
        assertThat(before.json().path("lastAccessedAt").isNull()).isTrue();
        // production/api, production/web and staging/api resolve it from the project; worker overrides it.
        assertThat(before.json().path("usage").asInt()).isEqualTo(3);
        assertThat(api.get("/v1/projects/shop/environments/production/services/worker/secrets/U_KEY")
                        .json()
                        .path("usage")
                        .asInt())
                .isEqualTo(1);
        assertThat(usageInList("/v1/projects/shop", "U_KEY"))
                .as("a scope's list shows usage too")
                .isEqualTo(3);
        assertThat(usageInList("/v1/projects/shop/environments/production/services/worker", "U_KEY"))
                .isEqualTo(1);

        String token = mint(API, json());
        for (int i = 0; i < 20; i++) {
            assertThat(env.fetch(token).status()).isEqualTo(200);
        }
        Thread.sleep(2_500); // the access flush runs every second here

        Answer after = api.get("/v1/projects/shop/secrets/U_KEY");
        assertThat(after.json().path("lastAccessedAt").isNull())
                .as(after.body())
                .isFalse();
        assertThat(api.get("/v1/projects/shop/environments/production/services/worker/secrets/U_KEY")
                        .json()
                        .path("lastAccessedAt")
                        .isNull())
                .as("worker never booted")
                .isTrue();
    }

    // --- helpers ----------------------------------------------------------------------------------

    private int usageInList(String scope, String key) {
        for (JsonNode secret : api.get(scope + "/secrets").json().path("secrets")) {
            if (secret.path("key").asText().equals(key)) {
                return secret.path("usage").asInt(-1);
            }
        }
        throw new AssertionError(key + " is not listed at " + scope);
    }

    private EnvClient.Fetch fetchAsUnlimited(String deployment) {
        EnvClient.Fetch fetch = env.fetch(mint(deployment, json()));
        assertThat(fetch.status()).isEqualTo(200);
        return fetch;
    }

    private String mint(String deployment, Map<String, Object> body) {
        Answer minted = api.post(deployment + "/tokens", body);
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private static SortedMap<String, String> subset(Map<?, ?> all, Map<String, String> expected) {
        SortedMap<String, String> subset = new TreeMap<>();
        expected.keySet().forEach(k -> {
            if (all.containsKey(k)) {
                subset.put(k, String.valueOf(all.get(k)));
            }
        });
        return subset;
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }

    /**
     * Statements made since the log was cleared, less those of the background loops (flushes,
     * dispatcher) and the pool's check that a connection idle for a while is still alive.
     */
    private static List<StatementLog.Entry> requestThreadStatements() {
        return StatementLog.ENTRIES.stream()
                .filter(e -> !e.thread().contains("scheduled") && !e.thread().equals("webhook-dispatcher"))
                .filter(e -> !e.sql().strip().equalsIgnoreCase("SELECT 1")
                        && !e.sql().startsWith("/* ping */"))
                .toList();
    }
}
