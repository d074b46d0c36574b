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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Values are write-only, yet a write answers {@code unchanged} when the value sent is the one
 * stored: an oracle. Every such answer is audited (dry run or not), on real OpenBao and MariaDB.
 */
@MicronautTest(transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuessingOracleIT extends GatewayTest {

    private static final String CANARY = "canary-" + UUID.randomUUID();
    private static final String WRONG_GUESS = "wrong-" + UUID.randomUUID();
    private static final String SCOPE = "/v1/projects/acme/environments/production";

    private LogCapture logs;
    private ApiClient api;

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

        Answer hit = guesser.send("PUT", SCOPE + "/secrets/GUESSED?dryRun=true", json("value", CANARY),
                Map.of("X-Request-Id", "guess-hit"));
        Answer miss = guesser.send("PUT", SCOPE + "/secrets/GUESSED?dryRun=true", json("value", WRONG_GUESS),
                Map.of("X-Request-Id", "guess-miss"));
        Answer stale = guesser.send("PUT", SCOPE + "/secrets/GUESSED?dryRun=true",
                json("value", WRONG_GUESS, "expectedVersion", 7), Map.of("X-Request-Id", "guess-stale"));

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
        assertThat(missRow.path("unchangedKeys").isNull()).as(missRow.toString()).isTrue();
        JsonNode staleRow = auditRow("guess-stale");
        assertThat(staleRow.path("outcome").asText()).isEqualTo("dry-run-refused");
        assertThat(staleRow.path("errorCode").asText()).isEqualTo("version-conflict");

        assertThat(api.get("/v1/projects/acme/audit?size=500").body()).doesNotContain(CANARY).doesNotContain(WRONG_GUESS);
        assertThat(databaseDump()).contains("GUESSED").doesNotContain(CANARY).doesNotContain(WRONG_GUESS);
        assertThat(logs.text()).doesNotContain(CANARY).doesNotContain(WRONG_GUESS);
    }

    @Test
    void dryRunImportsDeletesAndRollbacksAreAuditedAndChangeNothing() throws Exception {
        ApiClient guesser = newCaller();
        ok(guesser.post(SCOPE + "/import", json("ALPHA", CANARY, "BETA", "b1")));
        ok(guesser.put(SCOPE + "/secrets/BETA", json("value", "b2")));

        Answer imported = guesser.send("POST", SCOPE + "/import?dryRun=true", json("ALPHA", CANARY, "BETA", WRONG_GUESS),
                Map.of("X-Request-Id", "import-guess"));
        Answer deleted = guesser.send("DELETE", SCOPE + "/secrets/BETA?dryRun=true", null,
                Map.of("X-Request-Id", "delete-dry-run"));
        Answer rolledBack = guesser.send("POST", SCOPE + "/secrets/BETA/rollback?dryRun=true", json("version", 1),
                Map.of("X-Request-Id", "rollback-dry-run"));

        assertThat(imported.json().path("unchanged")).extracting(JsonNode::asText).containsExactly("ALPHA");
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

        assertThat(guesser.get(SCOPE + "/secrets/BETA").json().path("version").asInt()).isEqualTo(2);
        assertThat(vaultEntry("acme/env/production").path("data").path("BETA").asText()).isEqualTo("b2");
        assertThat(databaseDump()).doesNotContain(CANARY).doesNotContain(WRONG_GUESS);
    }

    @Test
    void aRealWriteAnsweredUnchangedIsAuditedNamingTheUnchangedKeys() {
        ApiClient writer = newCaller();
        Answer created = writer.put(SCOPE + "/secrets/SAME", json("value", CANARY));
        Answer again = writer.put(SCOPE + "/secrets/SAME", json("value", CANARY));
        Answer imported = writer.post(SCOPE + "/import", json("SAME", CANARY, "OTHER", "o"));

        assertThat(again.json().path("operation").asText()).isEqualTo("unchanged");
        assertThat(imported.json().path("unchanged")).extracting(JsonNode::asText).containsExactly("SAME");
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
    void anIdempotentReplayIsNotAuditedAgainForItAnswersTheFirstResult() throws Exception {
        ApiClient writer = newCaller();
        Map<String, String> key = Map.of("Idempotency-Key", "replay-" + UUID.randomUUID());
        Answer first = writer.send("PUT", SCOPE + "/secrets/REPLAYED", json("value", CANARY), key);

        Answer replayed = writer.send("PUT", SCOPE + "/secrets/REPLAYED", json("value", WRONG_GUESS), key);

        assertThat(replayed.json().path("replayed").asBoolean()).isTrue();
        assertThat(replayed.json().path("operation").asText()).isEqualTo("create");
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE change_set_id = '"
                + first.json().path("changeSetId").asText() + "'")).isEqualTo(1);
    }

    /** A token of its own (an admin's). */
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
        for (JsonNode record : api.get("/v1/projects/acme/audit?size=500").json().path("records")) {
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
