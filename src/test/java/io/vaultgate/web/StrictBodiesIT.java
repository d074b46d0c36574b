package io.vaultgate.web;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.testing.RealParts;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Request bodies are bound to typed records by the framework under the strict rules: a body that
 * breaks one answers 400 problem+json naming where, never quoting what, and changes nothing.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrictBodiesIT extends GatewayTest {

    private static final String CANARY = "canary-" + UUID.randomUUID();
    private static final String SECRET = "/v1/projects/strict/secrets/";
    private ApiClient api;
    private LogCapture logs;

    @BeforeAll
    void createProject() {
        logs = new LogCapture();
        api = admin();
        assertThat(api.put("/v1/projects/strict", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/strict/services/svc", null).status()).isEqualTo(201);
    }

    @AfterAll
    void stopCapturing() {
        logs.close();
    }

    private Answer putRaw(String key, String body, String contentType) {
        return api.send(
                "PUT", SECRET + key, body, contentType == null ? Map.of() : Map.of("Content-Type", contentType));
    }

    private static void assertRefused(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.code()).isEqualTo(code);
        assertThat(answer.body()).doesNotContain(CANARY);
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheField() {
        Answer answer = api.put(SECRET + "WRONG", json("value", 42));

        assertRefused(answer, 400, "invalid-json");
        assertThat(answer.json().path("field").asText()).isEqualTo("value");
    }

    @Test
    void aVersionSentAsTextIsNotCoerced() {
        Answer answer = api.put(SECRET + "COERCED", json("value", CANARY, "expectedVersion", "0"));

        assertRefused(answer, 400, "invalid-json");
        assertThat(answer.json().path("field").asText()).isEqualTo("expectedVersion");
    }

    @Test
    void anUnknownFieldIsRefused() {
        assertRefused(api.put(SECRET + "UNKNOWN", json("value", CANARY, "colour", "red")), 400, "invalid-json");
    }

    @Test
    void anUnknownFieldIsNeverQuotedForItMayBeAPastedToken() {
        String token = "ghp_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
        Answer answer = api.put(SECRET + "PASTED", json("value", "x", token, "y"));

        assertRefused(answer, 400, "invalid-json");
        assertThat(answer.body()).doesNotContain(token).contains("value");
    }

    @Test
    void anImportValueThatIsNotAStringIsRefusedAndNothingIsImported() {
        Answer refused = api.post("/v1/projects/strict/import", json("IMPORTED_FIRST", "d", "IMPORTED_NULL", null));
        Answer onlyNull = api.post("/v1/projects/strict/import", json("IMPORTED_ALONE", null));

        assertRefused(refused, 400, "invalid-secret-value");
        assertThat(refused.json().path("field").asText()).isEqualTo("IMPORTED_NULL");
        assertRefused(onlyNull, 400, "invalid-secret-value");
        assertThat(api.get(SECRET + "IMPORTED_FIRST").status()).isEqualTo(404);
    }

    @Test
    void anImportNameThatIsNotAKeyNameIsNeverQuoted() {
        String pasted = "sk_live_51HqSECRETvalue" + CANARY;

        assertRefused(api.post("/v1/projects/strict/import", json(pasted, 5)), 400, "invalid-secret-name");
        assertRefused(api.post("/v1/projects/strict/import", json(pasted, "x")), 400, "invalid-secret-name");
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithoutQuotingEitherValue() {
        assertRefused(
                putRaw("TWICE", "{\"value\":\"a\",\"value\":\"" + CANARY + "\"}", "application/json"),
                400,
                "invalid-json");
    }

    @Test
    void aBodyThatIsNotJsonSaysWhereItBreaksAndNeverWhat() {
        Answer unclosed = putRaw("BROKEN", "{\"value\": \"" + CANARY, "application/json");
        Answer broken = putRaw("BROKEN", "{\"value\": \"x\",\n  " + CANARY + "}", "application/json");

        assertRefused(unclosed, 400, "invalid-json");
        assertRefused(broken, 400, "invalid-json");
        assertThat(broken.json().path("detail").asText()).contains("line 2");
    }

    @Test
    void textAfterTheObjectIsRefused() {
        assertRefused(
                putRaw("TRAILING", "{\"value\":\"a\"} \"" + CANARY + "\"", "application/json"), 400, "invalid-json");
    }

    @Test
    void aMissingBodyAsksForOne() {
        assertRefused(putRaw("EMPTY", "", "application/json"), 400, "invalid-json");
    }

    @Test
    void aBodyOfAnotherMediaTypeIsRefused() {
        assertRefused(putRaw("PLAIN", "value=" + CANARY, "text/plain"), 415, "unsupported-media-type");
    }

    @Test
    void nothingRefusedWasWrittenAndNoLogLineHoldsTheCanary() throws Exception {
        aValueOfTheWrongTypeIsRefusedNamingTheField();
        aKeyGivenTwiceIsRefusedWithoutQuotingEitherValue();
        aBodyThatIsNotJsonSaysWhereItBreaksAndNeverWhat();

        assertThat(api.get("/v1/projects/strict/secrets").json().path("secrets"))
                .isEmpty();
        assertThat(logs.text()).doesNotContain(CANARY);
    }

    @Test
    void aListIsNotAValueNorAValueAListOnTheGatewaysOwnMapper() {
        // The framework's mapper unwraps ["x"] into "x" and wraps "A" into ["A"]; the strict rules do neither.
        assertRefused(api.put(SECRET + "WRAPPED", json("value", java.util.List.of(CANARY))), 400, "invalid-json");
        Answer single = api.put("/v1/projects/strict/services/svc/requirements", json("keys", "A"));

        assertRefused(single, 400, "invalid-json");
        assertThat(single.json().path("field").asText()).isEqualTo("keys");
    }

    @Test
    void aWholeNumberWrittenWithAZeroFractionIsThatNumber() {
        String secret = "/v1/projects/strict/services/svc/secrets/FRACTION";
        Answer answer = api.put(secret, json("value", "x", "expectedVersion", 0.0));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertRefused(api.put(secret, json("value", "y", "expectedVersion", 1.5)), 400, "invalid-json");
    }

    @Test
    void anEmptyDotenvImportAsksForABodyNotForJson() {
        Answer answer = api.send("POST", "/v1/projects/strict/import", "", Map.of("Content-Type", "text/plain"));

        assertRefused(answer, 400, "invalid-request");
        assertThat(answer.json().path("field").asText()).isEqualTo("body");
    }

    @Test
    void aBadQueryFlagIsRefusedBeforeAnythingIsWritten() {
        Answer answer = api.send("PUT", SECRET + "FLAGGED?dryRun=ture", json("value", "x"), Map.of());

        assertRefused(answer, 400, "invalid-request");
        assertThat(answer.json().path("field").asText()).isEqualTo("dryRun");
        assertThat(api.get(SECRET + "FLAGGED").status()).isEqualTo(404);
    }
}
