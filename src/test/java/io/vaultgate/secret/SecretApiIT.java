package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.testing.RealParts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The secret API end to end, on real OpenBao and MariaDB, as the gateway's least-privilege token. */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretApiIT extends GatewayTest {

    private static final String CANARY = "canary-" + UUID.randomUUID();
    private LogCapture logs;
    private ApiClient api;

    @BeforeAll
    void createCatalog() {
        logs = new LogCapture();
        api = admin();
        assertThat(api.put("/v1/projects/acme", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/acme", null).status()).isEqualTo(200);
        assertThat(api.put("/v1/projects/acme/environments/production", json("type", "production"))
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/environments/staging", json("type", "staging"))
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/services/api", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/services/worker", null).status()).isEqualTo(201);
        for (String env : List.of("production", "staging")) {
            for (String svc : List.of("api", "worker")) {
                assertThat(api.put("/v1/projects/acme/environments/" + env + "/services/" + svc, null)
                                .status())
                        .isEqualTo(201);
            }
        }
    }

    @AfterAll
    void stopCapturing() {
        logs.close();
    }

    @Test
    void resolutionFollowsPrecedenceAcrossAllFiveScopes() {
        set("/v1/projects/acme", "LEVEL", "project");
        set("/v1/projects/acme/environment-types/production", "LEVEL", "type");
        set("/v1/projects/acme/environments/production", "LEVEL", "environment");
        set("/v1/projects/acme/services/api", "LEVEL", "service");
        set("/v1/projects/acme/environments/production/services/api", "LEVEL", "deployment");
        set("/v1/projects/acme/environment-types/production", "TYPE_ONLY", "t");
        set("/v1/projects/acme/services/worker", "WORKER_ONLY", "w");

        JsonNode prodApi = resolved("production", "api");
        assertThat(key(prodApi, "LEVEL").path("source").path("scopeKind").asText())
                .isEqualTo("service-in-environment");
        assertThat(key(prodApi, "LEVEL").path("overrides"))
                .extracting(JsonNode::toString)
                .hasSize(4);
        assertThat(key(prodApi, "LEVEL").path("overrides").get(0).path("scope").asText())
                .isEqualTo("/v1/projects/acme/services/api");
        assertThat(key(prodApi, "TYPE_ONLY").path("source").path("scope").asText())
                .isEqualTo("/v1/projects/acme/environment-types/production");
        assertThat(key(prodApi, "WORKER_ONLY")).isNull();

        JsonNode prodWorker = resolved("production", "worker");
        assertThat(key(prodWorker, "LEVEL").path("source").path("scopeKind").asText())
                .isEqualTo("environment");
        assertThat(key(prodWorker, "WORKER_ONLY")
                        .path("source")
                        .path("scopeKind")
                        .asText())
                .isEqualTo("service");

        JsonNode stagingApi = resolved("staging", "api");
        assertThat(key(stagingApi, "LEVEL").path("source").path("scopeKind").asText())
                .isEqualTo("service");
        assertThat(key(stagingApi, "TYPE_ONLY")).isNull();

        JsonNode stagingWorker = resolved("staging", "worker");
        assertThat(key(stagingWorker, "LEVEL").path("source").path("scopeKind").asText())
                .isEqualTo("project");
        assertThat(key(stagingWorker, "LEVEL").path("overrides")).isEmpty();
    }

    @Test
    void valuesLiveInVaultOneEntryPerScopeAndNeverInResponsesOrMysql() throws Exception {
        Answer answer = set("/v1/projects/acme/environments/production/services/worker", "CANARY_KEY", CANARY);
        set("/v1/projects/acme/environments/production/services/worker", "OTHER", "x");

        assertThat(answer.body()).doesNotContain(CANARY);
        JsonNode entry = vaultEntry("acme/env/production/svc/worker");
        assertThat(entry.path("data").path("CANARY_KEY").asText()).isEqualTo(CANARY);
        assertThat(entry.path("data").path("OTHER").asText()).isEqualTo("x");
        assertThat(entry.path("metadata").path("version").asInt()).isEqualTo(2);

        List<String> reads = List.of(
                "/v1/projects/acme/environments/production/services/worker/secrets",
                "/v1/projects/acme/environments/production/services/worker/secrets/CANARY_KEY",
                "/v1/projects/acme/environments/production/services/worker/secrets/CANARY_KEY/versions",
                "/v1/projects/acme/environments/production/services/worker/resolved",
                "/v1/projects/acme/audit");
        for (String path : reads) {
            Answer read = api.get(path);
            assertThat(read.status()).as(path).isEqualTo(200);
            assertThat(read.body()).as(path).doesNotContain(CANARY);
        }
        assertThat(databaseDump()).contains("CANARY_KEY").doesNotContain(CANARY);
        assertThat(logs.text()).doesNotContain(CANARY);
    }

    @Test
    void badInputGetsAProblemWithAStableCodeAndWritesNothing() throws Exception {
        String scope = "/v1/projects/acme/services/api/secrets/";
        long auditRowsBefore = count("SELECT COUNT(*) FROM audit_log");

        assertProblem(api.put(scope + "lower_case", json("value", CANARY)), 400, "invalid-secret-name");
        assertProblem(api.put(scope + "1ABC", json("value", CANARY)), 400, "invalid-secret-name");
        assertProblem(api.put(scope + "A".repeat(257), json("value", CANARY)), 400, "invalid-secret-name");
        assertProblem(api.put(scope + "BIG", json("value", "x".repeat(64 * 1024 + 1))), 413, "value-too-large");
        assertProblem(api.put(scope + "NUL", json("value", "a\u0000" + CANARY)), 400, "invalid-secret-value");
        assertProblem(api.put(scope + "BAD_JSON", "{\"value\": \"" + CANARY + "\""), 400, "invalid-json");
        assertProblem(api.put(scope + "WRONG_TYPE", json("value", 42)), 400, "invalid-json");
        assertProblem(api.put(scope + "UNKNOWN", json("value", CANARY, "colour", "red")), 400, "invalid-json");
        assertProblem(api.put(scope + "NO_VALUE", json("expectedVersion", 0)), 400, "invalid-secret-value");
        assertProblem(api.put("/v1/projects/Bad_Slug/secrets/K", json("value", CANARY)), 400, "invalid-slug");
        assertProblem(api.put("/v1/projects/nope/secrets/K", json("value", CANARY)), 404, "project-not-found");
        assertProblem(
                api.put("/v1/projects/acme/environment-types/qa/secrets/K", json("value", CANARY)),
                400,
                "invalid-environment-type");
        assertProblem(
                api.put("/v1/projects/acme/environments/production/services/ghost/secrets/K", json("value", CANARY)),
                404,
                "service-not-found");
        assertProblem(
                api.post("/v1/projects/acme/services/api/import", json("GOOD", "1", "bad-name", "2")),
                400,
                "invalid-secret-name");
        // A number where a value goes is not a value: named by its key, nothing imported.
        assertProblem(
                api.post("/v1/projects/acme/services/api/import", json("GOOD", "1", "NUM", 2)),
                400,
                "invalid-secret-value");

        assertThat(api.get("/v1/projects/acme/services/api/secrets/GOOD").status())
                .isEqualTo(404);
        assertThat(count("SELECT COUNT(*) FROM audit_log")).isEqualTo(auditRowsBefore);
        assertThat(logs.text()).doesNotContain(CANARY);
    }

    @Test
    void staleExpectedVersionGets409AndKeepsTheNewerValue() {
        String path = "/v1/projects/acme/environments/staging/secrets/RACE";
        assertThat(api.put(path, json("value", "v1", "expectedVersion", 0)).status())
                .isEqualTo(201);
        assertThat(api.put(path, json("value", "v2", "expectedVersion", 1)).status())
                .isEqualTo(200);

        Answer stale = api.put(path, json("value", "lost", "expectedVersion", 1));

        assertProblem(stale, 409, "version-conflict");
        assertThat(stale.json().path("currentVersion").asInt()).isEqualTo(2);
        assertProblem(api.put(path, json("value", "again", "expectedVersion", 0)), 409, "version-conflict");
        assertThat(vaultEntry("acme/env/staging").path("data").path("RACE").asText())
                .isEqualTo("v2");
        assertThat(api.get("/v1/projects/acme/audit?size=500").body())
                .contains("\"outcome\":\"refused\"")
                .contains("\"errorCode\":\"version-conflict\"");
    }

    @Test
    void racingWritersOnOneKeyNeverLoseAnUpdate() throws Exception {
        String path = "/v1/projects/acme/environments/staging/services/worker/secrets/";
        assertThat(api.put(path + "COUNTER", json("value", "0")).status()).isEqualTo(201);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> sameVersion = new ArrayList<>();
        List<Future<Answer>> distinctKeys = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int n = i;
            sameVersion.add(pool.submit(waitThen(
                    start, () -> api.put(path + "COUNTER", json("value", "w" + n, "expectedVersion", 1)))));
            distinctKeys.add(pool.submit(waitThen(start, () -> api.put(path + "KEY_" + n, json("value", "k" + n)))));
        }
        start.countDown();

        List<Integer> statuses = new ArrayList<>();
        for (Future<Answer> f : sameVersion) {
            statuses.add(f.get().status());
        }
        for (Future<Answer> f : distinctKeys) {
            assertThat(f.get().status()).as(f.get().body()).isEqualTo(201);
        }
        pool.shutdown();

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(writers - 1);
        JsonNode data = vaultEntry("acme/env/staging/svc/worker").path("data");
        for (int i = 0; i < writers; i++) {
            assertThat(data.path("KEY_" + i).asText()).isEqualTo("k" + i);
        }
        assertThat(api.get(path + "COUNTER").json().path("version").asInt()).isEqualTo(2);
    }

    @Test
    void idempotencyKeyMakesARetriedWriteApplyOnce() {
        String path = "/v1/projects/acme/services/worker/secrets/IDEMPOTENT";
        Map<String, String> key = Map.of("Idempotency-Key", "retry-" + UUID.randomUUID());

        Answer first = api.send("PUT", path, json("value", "one"), key);
        Answer retry = api.send("PUT", path, json("value", "one"), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json().path("replayed").asBoolean()).isTrue();
        assertThat(retry.json().path("changeSetId").asText())
                .isEqualTo(first.json().path("changeSetId").asText());
        assertThat(retry.json().path("version")).isEqualTo(first.json().path("version"));
        assertThat(retry.json().path("at"))
                .as("the first answer and its replay, read back from the rows, name the same time")
                .isEqualTo(first.json().path("at"));
        assertThat(api.get(path).json().path("version").asInt()).isEqualTo(1);
        assertProblem(api.send("DELETE", path, null, key), 422, "idempotency-key-reused");
    }

    @Test
    void deleteRemovesTheKeyFromVaultAndHistoryKeepsEveryVersion() {
        String scope = "/v1/projects/acme/environments/production";
        set(scope, "TEMP", "a");
        set(scope, "TEMP", "b");

        assertThat(api.delete(scope + "/secrets/TEMP").status()).isEqualTo(204);

        assertThat(api.get(scope + "/secrets/TEMP").status()).isEqualTo(404);
        assertProblem(api.delete(scope + "/secrets/TEMP"), 404, "secret-not-found");
        assertThat(vaultEntry("acme/env/production").path("data").has("TEMP")).isFalse();
        JsonNode history = api.get(scope + "/secrets/TEMP/versions").json();
        assertThat(history.path("deleted").asBoolean()).isTrue();
        assertThat(history.path("versions")).hasSize(3);
        assertThat(history.path("versions").get(0).path("deleted").asBoolean()).isTrue();
        assertThat(history.path("versions").get(2).path("valueKept").asBoolean())
                .isTrue();
    }

    @Test
    void rollbackMakesAnOldValueCurrentAsANewVersion() {
        String scope = "/v1/projects/acme/environments/staging/services/api";
        set(scope, "API_KEY", "first");
        set(scope, "API_KEY", "second");

        Answer rollback = api.post(scope + "/secrets/API_KEY/rollback", json("version", 1));

        assertThat(rollback.status()).isEqualTo(200);
        assertThat(rollback.json().path("version").asInt()).isEqualTo(3);
        assertThat(rollback.body()).doesNotContain("first");
        assertThat(vaultEntry("acme/env/staging/svc/api")
                        .path("data")
                        .path("API_KEY")
                        .asText())
                .isEqualTo("first");
        assertProblem(api.post(scope + "/secrets/API_KEY/rollback", json("version", 9)), 404, "version-not-found");
    }

    @Test
    void importWritesAllKeysAsOneChangeSetAndOneVaultVersion() {
        String scope = "/v1/projects/acme/environment-types/staging";
        int before = vaultVersion("acme/type/staging");

        Answer imported = api.post(scope + "/import", json("A_ONE", "1", "A_TWO", "2", "A_THREE", "3"));

        assertThat(imported.status()).isEqualTo(201);
        assertThat(imported.json().path("created"))
                .extracting(JsonNode::asText)
                .containsExactly("A_ONE", "A_THREE", "A_TWO");
        assertThat(vaultVersion("acme/type/staging")).isEqualTo(before + 1);
        JsonNode listed = api.get(scope + "/secrets").json().path("secrets");
        assertThat(listed).extracting(n -> n.path("key").asText()).contains("A_ONE", "A_TWO", "A_THREE");
    }

    @Test
    void everyWriteIsAuditedWithActorKeysChangeSetAndRequestIdButNoValue() {
        Answer written = api.send(
                "PUT",
                "/v1/projects/acme/services/api/secrets/AUDITED",
                json("value", CANARY),
                Map.of("X-Request-Id", "req-audit-1"));
        String changeSet = written.json().path("changeSetId").asText();

        JsonNode records = api.get("/v1/projects/acme/audit?size=500").json().path("records");
        JsonNode record = null;
        for (JsonNode candidate : records) {
            if (changeSet.equals(candidate.path("changeSetId").asText())) {
                record = candidate;
            }
        }
        assertThat(record).isNotNull();
        assertThat(record.path("action").asText()).isEqualTo("secret.set");
        assertThat(record.path("keyNames").asText()).isEqualTo("AUDITED");
        assertThat(record.path("outcome").asText()).isEqualTo("succeeded");
        assertThat(record.path("requestId").asText()).isEqualTo("req-audit-1");
        assertThat(record.path("scope").asText()).isEqualTo("/v1/projects/acme/services/api");
        assertThat(record.path("actor").asText()).isNotBlank();
        assertThat(records.toString()).doesNotContain(CANARY);
    }

    @Test
    void missingOrWrongTokenGets401AndNonAdminGets403() {
        ApiClient anonymous = api.withToken(null);
        Answer missing = anonymous.get("/v1/projects/acme/secrets");
        Answer wrong = api.withToken("s.not-a-real-token").get("/v1/projects/nope/secrets");
        Answer nonAdmin = api.withToken(stack().createToken("default")).get("/v1/projects/acme/secrets");

        assertProblem(missing, 401, "unauthenticated");
        assertProblem(wrong, 401, "unauthenticated");
        assertThat(wrong.body())
                .isEqualTo(missing.body()
                        .replace(
                                missing.json().path("requestId").asText(),
                                wrong.json().path("requestId").asText()));
        assertProblem(nonAdmin, 403, "forbidden");
        assertProblem(anonymous.put("/v1/projects/evil", null), 401, "unauthenticated");
    }

    private Answer set(String scope, String key, String value) {
        Answer answer = api.put(scope + "/secrets/" + key, json("value", value));
        assertThat(answer.status()).as(answer.toString()).isIn(200, 201);
        return answer;
    }

    private JsonNode resolved(String environment, String service) {
        Answer answer = api.get("/v1/projects/acme/environments/" + environment + "/services/" + service + "/resolved");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static JsonNode key(JsonNode resolution, String key) {
        for (JsonNode candidate : resolution.path("keys")) {
            if (candidate.path("key").asText().equals(key)) {
                return candidate;
            }
        }
        return null;
    }

    private int vaultVersion(String entryPath) {
        JsonNode entry = vaultEntry(entryPath);
        return entry == null ? 0 : entry.path("metadata").path("version").asInt();
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.code()).as(answer.toString()).isEqualTo(code);
        assertThat(answer.body()).doesNotContain(CANARY);
    }

    private static <T> Callable<T> waitThen(CountDownLatch start, Callable<T> call) {
        return () -> {
            start.await();
            return call.call();
        };
    }
}
