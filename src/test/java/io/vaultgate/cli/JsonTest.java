package io.vaultgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultgate.testing.property.Seeds;
import io.vaultgate.testing.property.Strings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void readsTheShapesOfTheGatewaysAnswers() {
        Json answer = Json.read("""
                {"scope":"/v1/projects/shop","secrets":[{"key":"A","version":3,"lastAccessedAt":null,"usage":2.5e0}],
                 "dryRun":true,"restarts":[],"next":12345678901,"detail":"quote \\" slash \\/ \\u00e9 \\ud83d\\udd10"}
                """);

        assertThat(answer.path("scope").asText()).isEqualTo("/v1/projects/shop");
        assertThat(answer.path("secrets").size()).isEqualTo(1);
        Json secret = answer.path("secrets").iterator().next();
        assertThat(secret.path("version").asInt()).isEqualTo(3);
        assertThat(secret.hasNonNull("lastAccessedAt")).isFalse();
        assertThat(secret.path("lastAccessedAt").isMissingOrNull()).isTrue();
        assertThat(secret.path("usage").asText()).isEqualTo("2.5e0");
        assertThat(answer.path("dryRun").asBoolean()).isTrue();
        assertThat(answer.path("restarts").isEmpty()).isTrue();
        assertThat(answer.path("next").asLong(0)).isEqualTo(12345678901L);
        assertThat(answer.path("detail").asText()).isEqualTo("quote \" slash / \u00e9 \ud83d\udd10");
        assertThat(answer.path("absent").path("deeper").asText("fallback")).isEqualTo("fallback");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{",
                "{\"a\":}",
                "[1,]",
                "{\"a\" 1}",
                "tru",
                "\"open",
                "01x",
                "-",
                "{} {}",
                "\"\\x\"",
                "\"\\u12\"",
                "[\"tab\there\"]"
            })
    void refusesWhatIsNotJsonWithoutQuotingIt(String text) {
        assertThatThrownBy(() -> Json.read(text))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.ERROR))
                .hasMessageStartingWith("The gateway's answer is not valid JSON");
        assertThatThrownBy(() -> Json.read("{\"secret\":\"canary-42\" trailing}"))
                .hasMessageNotContaining("canary-42");
    }

    @Test
    void refusesNestingDeeperThanItCanReadWithoutOverflowingTheStack() {
        assertThatThrownBy(() -> Json.read("[".repeat(100_000))).isInstanceOf(CliException.class);
    }

    @Test
    void writesRequestBodiesThatJacksonReadsBack() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", "line\nwith \"quotes\", \\, \t, \u0001 and \u00e9\ud83d\udd10");
        body.put("expectedVersion", 3);
        body.put("environments", List.of("production", "staging"));
        body.put("flag", true);
        body.put("none", null);

        String written = Json.write(body);

        assertThat(JACKSON.readValue(written, Map.class)).isEqualTo(body);
        assertThat(Json.write(Json.read(written))).isEqualTo(written);
    }

    static LongStream seeds() {
        return Seeds.of(1000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyStringSurvivesWritingAndReading(long seed) {
        Seeds.check(
                seed,
                Strings.text(new SplittableRandom(seed), 255),
                text -> assertThat(Json.read(Json.write(Map.of("v", text)))
                                .path("v")
                                .asText())
                        .isEqualTo(text));
    }

    @Test
    void aValueNeverShowsInToString() {
        assertThat(Json.read("{\"K\":\"canary-42\"}").toString()).doesNotContain("canary-42");
    }
}
