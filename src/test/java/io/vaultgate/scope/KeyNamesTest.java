package io.vaultgate.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyNamesTest {

    private static final String CANARY = "canary-\u00e9-value";

    @ParameterizedTest
    @ValueSource(strings = {"A", "_", "DATABASE_URL", "_PRIVATE", "K8S_TOKEN_2"})
    void acceptsNamesThatAreEnvironmentVariables(String name) {
        assertThat(KeyNames.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1ABC", "lower", "A-B", "A.B", "A B", "Ä", "A\nB"})
    void refusesNamesThatCannotBeEnvironmentVariables(String name) {
        assertThatThrownBy(() -> KeyNames.require(name))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SECRET_NAME));
    }

    @Test
    void aRefusedNameIsNotQuotedBackBecauseItMayBeAValue() {
        assertThatThrownBy(() -> KeyNames.require("sk_live_" + CANARY))
                .isInstanceOf(ApiException.class)
                .hasMessageNotContaining(CANARY)
                .hasMessageNotContaining("sk_live");
    }

    @Test
    void refusesNamesLongerThan256Characters() {
        assertThat(KeyNames.isValid("A".repeat(256))).isTrue();
        assertThatThrownBy(() -> KeyNames.require("A".repeat(257))).hasMessageContaining("longer than 256");
    }
}
