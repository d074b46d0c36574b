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
