package io.vaultgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.secret.ConfigRevision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ETagsTest {

    private final ScopeChain chain = ScopeChain.forDeployment("acme", "production", EnvironmentType.PRODUCTION, "api");

    @Test
    void theTagOfAnEnvironmentIsItsRevisionQuoted() {
        assertThat(ETags.of("abc")).isEqualTo("\"abc\"");
        assertThat(ETags.matches(List.of("W/\"abc\""), "abc")).isTrue();
    }

    @Test
    void theRevisionFollowsKeysSourcesAndVersionsNeverValues() {
        String base = revision(Map.of(Scope.project("acme"), Map.of("A", 1, "B", 1)));

        assertThat(revision(Map.of(Scope.project("acme"), Map.of("B", 1, "A", 1))))
                .isEqualTo(base);
        assertThat(revision(Map.of(Scope.project("acme"), Map.of("A", 2, "B", 1))))
                .isNotEqualTo(base);
        assertThat(revision(Map.of(Scope.project("acme"), Map.of("A", 1)))).isNotEqualTo(base);
        // Same key and version, but now from a more specific scope: another configuration.
        assertThat(revision(Map.of(
                        Scope.project("acme"),
                        Map.of("B", 1),
                        Scope.environment("acme", "production"),
                        Map.of("A", 1))))
                .isNotEqualTo(base);
    }

    private String revision(Map<Scope, Map<String, Integer>> keys) {
        return ConfigRevision.of(chain.resolve(keys), version -> version);
    }
}
