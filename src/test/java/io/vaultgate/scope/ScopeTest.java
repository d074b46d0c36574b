package io.vaultgate.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void eachScopeIsNamedByItsApiPath() {
        assertThat(Scope.project("acme").apiPath()).isEqualTo("/v1/projects/acme");
        assertThat(Scope.environmentType("acme", EnvironmentType.PRODUCTION).apiPath())
                .isEqualTo("/v1/projects/acme/environment-types/production");
        assertThat(Scope.environment("acme", "prod-eu").apiPath()).isEqualTo("/v1/projects/acme/environments/prod-eu");
        assertThat(Scope.service("acme", "api").apiPath()).isEqualTo("/v1/projects/acme/services/api");
        assertThat(Scope.serviceInEnvironment("acme", "prod-eu", "api").apiPath())
                .isEqualTo("/v1/projects/acme/environments/prod-eu/services/api");
    }

    @Test
    void aScopeBuiltWithItsConstructorIsCheckedLikeOneFromAFactory() {
        assertThatThrownBy(() -> new Scope(ScopeKind.SERVICE, "acme", null, null, "Not A Slug"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SLUG));
        assertThatThrownBy(() -> new Scope(ScopeKind.PROJECT, "../acme", null, null, null))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void aScopeHasExactlyThePartsItsKindNames() {
        assertThatThrownBy(() -> new Scope(ScopeKind.PROJECT, "acme", null, "prod", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scope(ScopeKind.SERVICE_IN_ENVIRONMENT, "acme", null, "prod", null))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> new Scope(ScopeKind.ENVIRONMENT_TYPE, "acme", null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scope(ScopeKind.SERVICE, "acme", EnvironmentType.STAGING, null, "api"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
