package io.vaultgate.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class ScopeChainTest {

    private final ScopeChain chain = ScopeChain.forDeployment("acme", "prod", EnvironmentType.PRODUCTION, "api");
    private final Scope project = Scope.project("acme");
    private final Scope type = Scope.environmentType("acme", EnvironmentType.PRODUCTION);
    private final Scope environment = Scope.environment("acme", "prod");
    private final Scope service = Scope.service("acme", "api");
    private final Scope deployment = Scope.serviceInEnvironment("acme", "prod", "api");

    @Test
    void chainListsTheFiveScopesLeastSpecificFirst() {
        assertThat(chain.scopes()).containsExactly(project, type, environment, service, deployment);
    }

    @Test
    void projectValueIsOverriddenByServiceValue() {
        SortedMap<String, ScopeChain.Resolved<String>> resolved = chain.resolve(Map.of(
                project, Map.of("DATABASE_URL", "p"),
                service, Map.of("DATABASE_URL", "s")));

        assertThat(resolved.get("DATABASE_URL").source().scope()).isEqualTo(service);
        assertThat(resolved.get("DATABASE_URL").overrides())
                .extracting(ScopeChain.Defined::scope)
                .containsExactly(project);
    }

    @Test
    void everyMoreSpecificScopeWinsAndOverridesAreListedMostSpecificFirst() {
        Map<Scope, Map<String, String>> keys = new HashMap<>();
        for (Scope scope : List.of(project, type, environment, service, deployment)) {
            keys.put(scope, Map.of("KEY", scope.kind().name()));
        }

        ScopeChain.Resolved<String> key = chain.resolve(keys).get("KEY");

        assertThat(key.source().item()).isEqualTo("SERVICE_IN_ENVIRONMENT");
        assertThat(key.overrides())
                .extracting(ScopeChain.Defined::scope)
                .containsExactly(service, environment, type, project);
    }

    @Test
    void serviceScopeOverridesEnvironmentScope() {
        ScopeChain.Resolved<String> key = chain.resolve(Map.of(
                        environment, Map.of("K", "env"),
                        service, Map.of("K", "svc")))
                .get("K");

        assertThat(key.source().item()).isEqualTo("svc");
    }

    @Test
    void keysDefinedOnceResolveWithoutOverridesAndScopesOutsideTheChainAreIgnored() {
        Scope otherEnvironment = Scope.environment("acme", "staging");
        SortedMap<String, ScopeChain.Resolved<String>> resolved = chain.resolve(Map.of(
                type, Map.of("ONLY_TYPE", "t"),
                otherEnvironment, Map.of("ONLY_TYPE", "elsewhere", "STAGING_ONLY", "x")));

        assertThat(resolved).containsOnlyKeys("ONLY_TYPE");
        assertThat(resolved.get("ONLY_TYPE").source().scope()).isEqualTo(type);
        assertThat(resolved.get("ONLY_TYPE").overrides()).isEmpty();
    }

    @Test
    void resolvedKeysAreSortedByName() {
        SortedMap<String, ScopeChain.Resolved<String>> resolved =
                chain.resolve(Map.of(project, Map.of("B", "1", "A", "2"), deployment, Map.of("C", "3")));

        assertThat(resolved.keySet()).containsExactly("A", "B", "C");
    }
}
