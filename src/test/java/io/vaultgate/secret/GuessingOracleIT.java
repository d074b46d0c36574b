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
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Values are write-only, yet a write answers {@code unchanged} when the value sent is the one
 * stored: an oracle. Every such answer is audited (dry run or not) and guesses are rate-limited
 * per token, on real OpenBao and MariaDB. Each test guesses with a token of its own, so its
 * limits start fresh with its first request.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuessingOracleIT extends GatewayTest {

    private static final String CANARY = "canary-" + UUID.randomUUID();
    private static final String WRONG_GUESS = "wrong-" + UUID.randomUUID();
    private static final String SCOPE = "/v1/projects/acme/environments/production";
    private static final int DRY_RUNS_PER_PERIOD = 3;
    private static final int WRITES_PER_PERIOD = 6;
    private static final int DRY_RUN_PERIOD_SECONDS = 3;
    private static final int WRITE_PERIOD_SECONDS = 10;

    private LogCapture logs;
    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        // A caller's window starts with its first request: each burst below fits in one on a busy
        // machine, and the dry-run window is short enough to wait out.
        return Map.of(
                "vaultgate.rate-limit.dry-runs",
                String.valueOf(DRY_RUNS_PER_PERIOD),
                "vaultgate.rate-limit.dry-run-period",
                DRY_RUN_PERIOD_SECONDS + "s",
                "vaultgate.rate-limit.writes",
                String.valueOf(WRITES_PER_PERIOD),
                "vaultgate.rate-limit.write-period",
                WRITE_PERIOD_SECONDS + "s");
    }

    @BeforeAll
    void createCatalog() {
        logs = new LogCapture();
        api = admin();
        ok(api.put("/v1/projects/acme", null));
        ok(api.put(SCOPE, json("type", "production")));
        ok(api.put("/v1/projects/acme/services/api", null));
        ok(api.put(SCOPE + "/services/api", null));
    }

    @AfterAll
    void stopCapturing() {
        logs.close();
    }

    @Test
    void aDryRunGuessIsAuditedSayingWhetherItHitButNeverHoldsTheGuess() throws Exception {
        ApiClient guesser = newCaller();
        ok(guesser.put(SCOPE + "/secrets/GUESSED", json("value", CANARY)));

        Answer hit = guesser.send(
                "PUT",
                SCOPE + "/secrets/GUESSED?dryRun=true",
                json("value", CANARY),
                Map.of("X-Request-Id", "guess-hit"));
        Answer miss = guesser.send(
                "PUT",
                SCOPE + "/secrets/GUESSED?dryRun=true",
                json("value", WRONG_GUESS),
                Map.of("X-Request-Id", "guess-miss"));
        Answer stale = guesser.send(
                "PUT",
                SCOPE + "/secrets/GUESSED?dryRun=true",
                json("value", WRONG_GUESS, "expectedVersion", 7),
                Map.of("X-Request-Id", "guess-stale"));

        assertThat(hit.json().path("operation").asText()).isEqualTo("unchanged");
        assertThat(miss.json().path("operation").asText()).isEqualTo("update");
        assertThat(stale.status()).isEqualTo(409);
        JsonNode hitRow = auditRow("guess-hit");
        assertThat(hitRow.path("action").asText()).isEqualTo("secret.set");
        assertThat(hitRow.path("outcome").asText()).isEqualTo("dry-run");
        assertThat(hitRow.path("scope").asText()).isEqualTo(SCOPE);
        assertThat(hitRow.path("keyNames").asText()).isEqualTo("GUESSED");
        assertThat(hitRow.path("unchangedKeys").asText()).isEqualTo("GUESSED");
        assertThat(hitRow.path("changeSetId").isNull()).isTrue();
        assertThat(hitRow.path("actor").asText()).isNotBlank();
        JsonNode missRow = auditRow("guess-miss");
        assertThat(missRow.path("outcome").asText()).isEqualTo("dry-run");
        assertThat(missRow.path("unchangedKeys").isNull())
                .as(missRow.toString())
                .isTrue();
        JsonNode staleRow = auditRow("guess-stale");
        assertThat(staleRow.path("outcome").asText()).isEqualTo("dry-run-refused");
        assertThat(staleRow.path("errorCode").asText()).isEqualTo("version-conflict");

        assertThat(api.get("/v1/projects/acme/audit?size=500").body())
                .doesNotContain(CANARY)
                .doesNotContain(WRONG_GUESS);
        assertThat(databaseDump()).contains("GUESSED").doesNotContain(CANARY).doesNotContain(WRONG_GUESS);
        assertThat(logs.text()).doesNotContain(CANARY).doesNotContain(WRONG_GUESS);
    }

    @Test
    void dryRunImportsDeletesAndRollbacksAreAuditedAndChangeNothing() throws Exception {
        ApiClient guesser = newCaller();
        ok(guesser.post(SCOPE + "/import", json("ALPHA", CANARY, "BETA", "b1")));
        ok(guesser.put(SCOPE + "/secrets/BETA", json("value", "b2")));

        Answer imported = guesser.send(
                "POST",
                SCOPE + "/import?dryRun=true",
                json("ALPHA", CANARY, "BETA", WRONG_GUESS),
                Map.of("X-Request-Id", "import-guess"));
        Answer deleted = guesser.send(
                "DELETE", SCOPE + "/secrets/BETA?dryRun=true", null, Map.of("X-Request-Id", "delete-dry-run"));
        Answer rolledBack = guesser.send(
                "POST",
                SCOPE + "/secrets/BETA/rollback?dryRun=true",
                json("version", 1),
                Map.of("X-Request-Id", "rollback-dry-run"));

        assertThat(imported.json().path("unchanged"))
                .extracting(JsonNode::asText)
                .containsExactly("ALPHA");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(rolledBack.status()).isEqualTo(200);
        JsonNode importRow = auditRow("import-guess");
        assertThat(importRow.path("action").asText()).isEqualTo("secret.import");
        assertThat(importRow.path("outcome").asText()).isEqualTo("dry-run");
        assertThat(importRow.path("keyNames").asText()).isEqualTo("ALPHA,BETA");
        assertThat(importRow.path("unchangedKeys").asText()).isEqualTo("ALPHA");
        JsonNode deleteRow = auditRow("delete-dry-run");
        assertThat(deleteRow.path("action").asText()).isEqualTo("secret.delete");
        assertThat(deleteRow.path("outcome").asText()).isEqualTo("dry-run");
        JsonNode rollbackRow = auditRow("rollback-dry-run");
        assertThat(rollbackRow.path("action").asText()).isEqualTo("secret.rollback");
        assertThat(rollbackRow.path("outcome").asText()).isEqualTo("dry-run");
        assertThat(rollbackRow.path("keyNames").asText()).isEqualTo("BETA");

        assertThat(guesser.get(SCOPE + "/secrets/BETA").json().path("version").asInt())
                .isEqualTo(2);
        assertThat(vaultEntry("acme/env/production").path("data").path("BETA").asText())
                .isEqualTo("b2");
        assertThat(databaseDump()).doesNotContain(CANARY).doesNotContain(WRONG_GUESS);
    }

    @Test
    void aRealWriteAnsweredUnchangedIsAuditedNamingTheUnchangedKeys() {
        ApiClient writer = newCaller();
        Answer created = writer.put(SCOPE + "/secrets/SAME", json("value", CANARY));
        Answer again = writer.put(SCOPE + "/secrets/SAME", json("value", CANARY));
        Answer imported = writer.post(SCOPE + "/import", json("SAME", CANARY, "OTHER", "o"));

        assertThat(again.json().path("operation").asText()).isEqualTo("unchanged");
        assertThat(imported.json().path("unchanged"))
                .extracting(JsonNode::asText)
                .containsExactly("SAME");
        assertThat(auditRowOf(created).path("unchangedKeys").isNull()).isTrue();
        JsonNode againRow = auditRowOf(again);
        assertThat(againRow.path("outcome").asText()).isEqualTo("succeeded");
        assertThat(againRow.path("keyNames").asText()).isEqualTo("SAME");
        assertThat(againRow.path("unchangedKeys").asText()).isEqualTo("SAME");
        JsonNode importRow = auditRowOf(imported);
        assertThat(importRow.path("keyNames").asText()).contains("SAME", "OTHER");
        assertThat(importRow.path("unchangedKeys").asText()).isEqualTo("SAME");
    }

    @Test
    void aGuessStagedIntoADraftIsAuditedSayingWhetherItHitForTheDraftsImpactTellsIt() {
        ApiClient guesser = newCaller();
        ok(guesser.put(SCOPE + "/secrets/STAGED", json("value", CANARY)));
        Answer created = guesser.post("/v1/projects/acme/change-sets", json("description", "guess"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String draft = created.json().path("id").asText();

        Answer hit = guesser.send(
                "PUT",
                SCOPE + "/secrets/STAGED?changeSet=" + draft,
                json("value", CANARY),
                Map.of("X-Request-Id", "stage-hit"));
        Answer miss = guesser.send(
                "PUT",
                SCOPE + "/secrets/STAGED?changeSet=" + draft,
                json("value", WRONG_GUESS),
                Map.of("X-Request-Id", "stage-miss"));

        assertThat(hit.status()).as(hit.body()).isEqualTo(202);
        assertThat(miss.status()).as(miss.body()).isEqualTo(202);
        JsonNode hitRow = auditRow("stage-hit");
        assertThat(hitRow.path("action").asText()).isEqualTo("change-set.stage");
        assertThat(hitRow.path("changeSetId").asText()).isEqualTo(draft);
        assertThat(hitRow.path("keyNames").asText()).isEqualTo("STAGED");
        assertThat(hitRow.path("unchangedKeys").asText()).isEqualTo("STAGED");
        JsonNode missRow = auditRow("stage-miss");
        assertThat(missRow.path("action").asText()).isEqualTo("change-set.stage");
        assertThat(missRow.path("unchangedKeys").isNull())
                .as(missRow.toString())
                .isTrue();
        assertThat(api.get("/v1/projects/acme/audit?size=500").body())
                .doesNotContain(CANARY)
                .doesNotContain(WRONG_GUESS);
        assertThat(logs.text()).doesNotContain(CANARY).doesNotContain(WRONG_GUESS);
    }

    @Test
    void anIdempotentReplayIsNotAuditedAgainForItAnswersTheFirstResult() throws Exception {
        ApiClient writer = newCaller();
        Map<String, String> key = Map.of("Idempotency-Key", "replay-" + UUID.randomUUID());
        Answer first = writer.send("PUT", SCOPE + "/secrets/REPLAYED", json("value", CANARY), key);

        Answer replayed = writer.send("PUT", SCOPE + "/secrets/REPLAYED", json("value", WRONG_GUESS), key);

        assertThat(replayed.json().path("replayed").asBoolean()).isTrue();
        assertThat(replayed.json().path("operation").asText()).isEqualTo("create");
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE change_set_id = '"
                        + first.json().path("changeSetId").asText() + "'"))
                .isEqualTo(1);
    }

    @Test
    void dryRunsOverTheLimitGet429WithRetryAfterWhileOtherCallersAndRealWritesGoOn() throws Exception {
        ApiClient guesser = newCaller();
        ApiClient other = newCaller();
        ok(guesser.put(SCOPE + "/secrets/LIMITED", json("value", CANARY)));
        for (int i = 0; i < DRY_RUNS_PER_PERIOD; i++) {
            ok(guesser.put(SCOPE + "/secrets/LIMITED?dryRun=true", json("value", WRONG_GUESS + i)));
        }

        Answer refused = guesser.send(
                "PUT",
                SCOPE + "/secrets/LIMITED?dryRun=true",
                json("value", CANARY),
                Map.of("X-Request-Id", "over-the-limit"));

        assertRateLimited(refused, DRY_RUN_PERIOD_SECONDS);
        assertThat(auditRows("over-the-limit"))
                .as("a refused guess is not audited as a guess")
                .isZero();
        assertRateLimited(guesser.post(SCOPE + "/import?dryRun=true", json("LIMITED", CANARY)), DRY_RUN_PERIOD_SECONDS);
        assertThat(guesser.put(SCOPE + "/secrets/LIMITED?dryRun=maybe", json("value", CANARY))
                        .code())
                .isEqualTo("invalid-request");
        assertThat(other.put(SCOPE + "/secrets/LIMITED?dryRun=true", json("value", WRONG_GUESS))
                        .status())
                .isEqualTo(200);
        assertThat(guesser.put(SCOPE + "/secrets/LIMITED", json("value", "real"))
                        .status())
                .as("real writes have a limit of their own")
                .isEqualTo(200);
        assertThat(logs.text()).doesNotContain(CANARY).doesNotContain(WRONG_GUESS);
    }

    @Test
    void writesOverTheLimitGet429AndAreNotAppliedWhileTokenMintsAndOtherCallersGoOn() throws Exception {
        ApiClient writer = newCaller();
        for (int i = 0; i < WRITES_PER_PERIOD; i++) {
            ok(writer.put(SCOPE + "/secrets/BURST_" + i, json("value", "v" + i)));
        }

        Answer refused = writer.send(
                "PUT", SCOPE + "/secrets/OVER", json("value", CANARY), Map.of("X-Request-Id", "write-over-the-limit"));

        assertRateLimited(refused, WRITE_PERIOD_SECONDS);
        assertThat(api.get(SCOPE + "/secrets/OVER").status()).as("not applied").isEqualTo(404);
        assertThat(vaultEntry("acme/env/production").path("data").has("OVER")).isFalse();
        assertThat(auditRows("write-over-the-limit")).isZero();
        assertRateLimited(writer.put("/v1/projects/acme/services/extra", null), WRITE_PERIOD_SECONDS);
        assertThat(writer.put(SCOPE + "/secrets/OVER?dryRun=true", json("value", "x"))
                        .status())
                .as("dry runs have a limit of their own")
                .isEqualTo(200);
        assertThat(writer.post(SCOPE + "/services/api/tokens", json()).status())
                .as("minting a workload token is not limited")
                .isEqualTo(201);
        assertThat(newCaller().put(SCOPE + "/secrets/OVER", json("value", "x")).status())
                .isEqualTo(201);
    }

    @Test
    void afterTheWindowAGuessIsAcceptedAgain() throws Exception {
        ApiClient guesser = newCaller();
        ok(guesser.put(SCOPE + "/secrets/WINDOW", json("value", CANARY)));
        for (int i = 0; i < DRY_RUNS_PER_PERIOD; i++) {
            ok(guesser.put(SCOPE + "/secrets/WINDOW?dryRun=true", json("value", WRONG_GUESS + i)));
        }
        Answer refused = guesser.put(SCOPE + "/secrets/WINDOW?dryRun=true", json("value", WRONG_GUESS));
        int retryAfter = assertRateLimited(refused, DRY_RUN_PERIOD_SECONDS);

        Thread.sleep(Duration.ofSeconds(retryAfter).toMillis());

        assertThat(guesser.put(SCOPE + "/secrets/WINDOW?dryRun=true", json("value", WRONG_GUESS))
                        .status())
                .isEqualTo(200);
    }

    /** Asserts a 429 problem with a whole-second Retry-After within the window; returns it. */
    private static int assertRateLimited(Answer answer, int windowSeconds) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(429);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.code()).isEqualTo("rate-limited");
        assertThat(answer.body()).doesNotContain(CANARY).doesNotContain(WRONG_GUESS);
        assertThat(answer.header("Retry-After")).matches("[0-9]+");
        int seconds = Integer.parseInt(answer.header("Retry-After"));
        assertThat(seconds).isBetween(1, windowSeconds);
        return seconds;
    }

    /** A token of its own (an admin's: the limits are per token whatever the role). */
    private ApiClient newCaller() {
        return new ApiClient(URI.create(server.getURL().toString()), stack().createToken("vaultgate-admin"));
    }

    private JsonNode auditRow(String requestId) {
        return auditRecordWhere("requestId", requestId);
    }

    private JsonNode auditRowOf(Answer write) {
        return auditRecordWhere("changeSetId", write.json().path("changeSetId").asText());
    }

    private JsonNode auditRecordWhere(String field, String value) {
        JsonNode found = null;
        for (JsonNode record :
                api.get("/v1/projects/acme/audit?size=500").json().path("records")) {
            if (value.equals(record.path(field).asText())) {
                assertThat(found).as("one audit row with %s %s", field, value).isNull();
                found = record;
            }
        }
        assertThat(found).as("the audit row with %s %s", field, value).isNotNull();
        return found;
    }

    private long auditRows(String requestId) throws Exception {
        return count("SELECT COUNT(*) FROM audit_log WHERE request_id = '" + requestId + "'");
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isIn(200, 201);
    }
}
