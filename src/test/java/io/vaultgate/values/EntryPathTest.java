package io.vaultgate.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import org.junit.jupiter.api.Test;

class EntryPathTest {

    private final ScopeChain chain = ScopeChain.forDeployment("acme", "prod", EnvironmentType.PRODUCTION, "api");

    @Test
    void eachScopeHasItsOwnEntryAndTheEntryNamesItsScopeBack() {
        assertThat(chain.scopes())
                .extracting(scope -> EntryPath.of(scope).path())
                .containsExactly(
                        "acme", "acme/type/production", "acme/env/prod", "acme/svc/api", "acme/env/prod/svc/api");
        for (Scope scope : chain.scopes()) {
            assertThat(new EntryPath(EntryPath.of(scope).path()).scope()).isEqualTo(scope);
        }
    }

    @Test
    void aPathThatLeavesItsPlaceIsNoEntry() {
        assertThatThrownBy(() -> new EntryPath("acme/../other")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EntryPath("/acme")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EntryPath("acme/unknown/x").scope()).isInstanceOf(IllegalArgumentException.class);
    }
}
