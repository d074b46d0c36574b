package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireNamesTest {

    enum ScopeKind {
        PROJECT,
        SERVICE_IN_ENVIRONMENT
    }

    @Test
    void aValueIsSpeltInLowerCaseWithDashes() {
        assertThat(WireNames.of(ScopeKind.SERVICE_IN_ENVIRONMENT)).isEqualTo("service-in-environment");
    }

    @Test
    void everyValueIsReadBackFromItsWireName() {
        for (ScopeKind kind : ScopeKind.values()) {
            assertThat(WireNames.parse(ScopeKind.class, WireNames.of(kind))).contains(kind);
        }
    }

    @Test
    void onlyTheWireSpellingIsRead() {
        assertThat(WireNames.parse(ScopeKind.class, "SERVICE_IN_ENVIRONMENT")).isEmpty();
        assertThat(WireNames.parse(ScopeKind.class, "service_in_environment")).isEmpty();
        assertThat(WireNames.parse(ScopeKind.class, "")).isEmpty();
        assertThat(WireNames.parse(ScopeKind.class, null)).isEmpty();
    }
}
