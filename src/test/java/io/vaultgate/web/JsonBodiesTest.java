package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    record Body(String value) {
    }

    @Test
    void anUnknownFieldIsNamedWhenItLooksLikeAFieldName() {
        assertThatThrownBy(() -> JsonBodies.parse("{\"vaule\":\"x\"}", Body.class))
                .isInstanceOf(ApiException.class).hasMessageContaining("'vaule'");
    }

    @Test
    void anUnknownFieldThatLooksLikeAPastedValueIsNotEchoed() {
        String canary = "sk_live-4f9a/8c0e+canary==";

        assertThatThrownBy(() -> JsonBodies.parse("{\"" + canary + "\":\"x\"}", Body.class))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("canary"))
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ApiException) e).field()).isNull());
    }
}
