package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict body rules and their wording, on the mapper the gateway binds bodies with. */
class JsonBodiesTest {

    private static final String CANARY = "sk_live-4f9a/8c0e+canary==";
    private final ObjectMapper mapper = StrictJson.configure(new ObjectMapper());

    record Body(String value, @Nullable Integer expectedVersion) {}

    private ApiException refusal(String json) {
        JsonProcessingException failure =
                catchThrowableOfType(JsonProcessingException.class, () -> mapper.readValue(json, Body.class));
        assertThat(failure).as("refused: " + json).isNotNull();
        return JsonBodies.problemOf(failure);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a number where text goes              | {\"value\": 42}                                  | value",
                "a boolean where text goes             | {\"value\": true}                                | value",
                "text where a number goes              | {\"value\": \"x\", \"expectedVersion\": \"3\"}   | expectedVersion",
                "a fraction where a whole number goes  | {\"value\": \"x\", \"expectedVersion\": 2.5}     | expectedVersion"
            })
    void aBodyThatDoesNotFitIsRefusedNamingTheField(String why, String json, String field) {
        ApiException refused = refusal(json);

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(refused.field()).isEqualTo(field);
    }

    @Test
    void aWholeNumberWithAZeroFractionIsThatNumber() throws Exception {
        // The contract's JSON Schema says integer, which 3.0 is; schemathesis sends it so.
        assertThat(mapper.readValue("{\"value\": \"x\", \"expectedVersion\": 3.0}", Body.class)
                        .expectedVersion())
                .isEqualTo(3);
        assertThat(mapper.readValue("{\"value\": \"x\", \"expectedVersion\": 4e0}", Body.class)
                        .expectedVersion())
                .isEqualTo(4);
        assertThat(refusal("{\"value\": \"x\", \"expectedVersion\": 1e12}").field())
                .isEqualTo("expectedVersion");
    }

    record Keys(java.util.List<String> keys) {}

    @Test
    void aSingleValueIsNotAListEvenOnTheFrameworksMapper() {
        // Micronaut's mapper enables ACCEPT_SINGLE_VALUE_AS_ARRAY; the strict rules turn it off.
        ObjectMapper framework = StrictJson.configure(new ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY));

        JsonProcessingException failure = catchThrowableOfType(
                JsonProcessingException.class, () -> framework.readValue("{\"keys\": \"A\"}", Keys.class));

        assertThat(JsonBodies.problemOf(failure).field()).isEqualTo("keys");
    }

    @Test
    void aNullInAListIsRefusedWhereItIsAndInAMapWithoutQuotingTheKey() {
        JsonProcessingException inList = catchThrowableOfType(
                JsonProcessingException.class, () -> mapper.readValue("{\"keys\": [\"A\", null]}", Keys.class));
        JsonProcessingException inMap = catchThrowableOfType(
                JsonProcessingException.class,
                () -> mapper.readValue("{\"A\": \"x\", \"B\": null}", java.util.Map.class));

        assertThat(JsonBodies.problemOf(inList).field()).isEqualTo("keys[1]");
        assertThat(JsonBodies.problemOf(inMap).errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(JsonBodies.problemOf(inMap).field()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a key given twice      | {\"value\": \"x\", \"value\": \"" + CANARY + "\"}",
                "text after the object  | {\"value\": \"x\"} \"" + CANARY + "\"",
                "an unclosed string     | {\"value\": \"" + CANARY,
                "not JSON at all        | " + CANARY
            })
    void aBodyThatIsNotOneJsonObjectIsRefusedWithoutQuotingIt(String why, String json) {
        ApiException refused = refusal(json);

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(refused.getMessage()).doesNotContain("canary").doesNotContain("sk_live");
    }

    @Test
    void anUnknownFieldIsRefusedListingTheFieldsTheBodyTakes() {
        ApiException refused = refusal("{\"value\": \"x\", \"colour\": \"red\"}");

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(refused.getMessage()).contains("It takes: expectedVersion, value.");
    }

    @Test
    void anUnknownFieldThatLooksLikeAPastedValueIsNotEchoed() {
        ApiException refused = refusal("{\"" + CANARY + "\":\"x\"}");

        assertThat(refused.getMessage()).doesNotContain("canary");
        assertThat(refused.field()).isNull();
    }

    @Test
    void aSyntaxErrorSaysWhereNotWhat() {
        assertThat(refusal("{\n  \"value\": x" + CANARY + "\n}").getMessage())
                .contains("line 2")
                .doesNotContain("canary");
    }
}
