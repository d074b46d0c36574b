package io.vaultgate.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.web.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlugsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "acme",
                "pr-42",
                "0day",
                "a-b-c",
                "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc"
            })
    void acceptsSlugs(String slug) {
        assertThat(Slugs.isValid(slug)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-a",
                "Acme",
                "a_b",
                "a.b",
                "a/b",
                "a b",
                "é",
                "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"
            })
    void refusesEverythingElse(String slug) {
        assertThat(Slugs.isValid(slug)).isFalse();
        assertThatThrownBy(() -> Slugs.require("project", slug))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("project name");
    }
}
