package io.vaultgate.dotenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vaultgate.testing.property.Seeds;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DotenvPropertyTest {

    static LongStream seeds() {
        return Seeds.of(2000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void writingAMapThenParsingItGivesBackTheSameMap(long seed) {
        Seeds.check(
                seed,
                DotenvInputs.environment(new SplittableRandom(seed)),
                values -> assertThat(Dotenv.parse(Dotenv.write(values))).containsExactlyEntriesOf(values));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyTextIsReadOrRefusedAtOneOfItsLinesAndNeverCrashesOrHangsTheParser(long seed) {
        Seeds.check(seed, DotenvInputs.text(new SplittableRandom(seed)), text -> {
            int lines = (int) text.replace("\r\n", "\n")
                            .chars()
                            .filter(c -> c == '\n' || c == '\r')
                            .count()
                    + 1;
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                try {
                    Map<String, String> parsed = Dotenv.parse(text);
                    // Whatever we can read, we can write back.
                    assertThat(Dotenv.parse(Dotenv.write(parsed))).containsExactlyEntriesOf(parsed);
                } catch (DotenvException refused) {
                    assertThat(refused.line()).isBetween(1, lines);
                }
            });
        });
    }
}
