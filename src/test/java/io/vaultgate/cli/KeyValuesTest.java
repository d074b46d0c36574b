package io.vaultgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValuesTest {

    @Test
    void pairsKeepTheirOrderAndAValueMayHoldEqualsSigns() {
        assertThat(KeyValues.parse(List.of("B=1", "A=x=y"), () -> ""))
                .containsExactly(Map.entry("B", "1"), Map.entry("A", "x=y"));
    }

    @Test
    void aBase64ValueSplitAtItsPaddingIsRefusedWithoutQuotingThePartBeforeTheEqualsSign() {
        assertThatThrownBy(() -> KeyValues.parse(List.of("A=1", "c2VjcmV0=="), () -> ""))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.ERROR))
                .hasMessageContaining("Argument 2")
                .hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void aKeyGivenTwiceIsNamedByTheArgumentsThatGiveItNotQuoted() {
        assertThatThrownBy(() -> KeyValues.parse(List.of("ZQ7XK2VW9P=1", "B=2", "ZQ7XK2VW9P=3"), () -> ""))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("Arguments 1 and 3")
                .hasMessageNotContaining("ZQ7XK2");
    }
}
