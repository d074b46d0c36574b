package io.vaultgate.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.values.SecretValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class ImpactTest {

    private static final Scope PROJECT = Scope.project("acme");
    private static final Scope PROD = Scope.environment("acme", "prod");
    private static final Scope API = Scope.service("acme", "api");
    private static final Scope PROD_API = Scope.serviceInEnvironment("acme", "prod", "api");

    private final List<Impact.Candidate<String>> deployments = List.of(
            candidate("prod", EnvironmentType.PRODUCTION, "api"),
            candidate("prod", EnvironmentType.PRODUCTION, "worker"),
            candidate("staging", EnvironmentType.STAGING, "api"),
            candidate("staging", EnvironmentType.STAGING, "worker"));
    private final Map<Scope, Set<String>> definedAt = new HashMap<>();
    private final Map<Scope, Map<String, SecretValue>> values = new HashMap<>();
    private final List<Scope> fallbackReads = new ArrayList<>();

    @Test
    void projectChangeRestartsEveryDeploymentThatDoesNotOverrideTheKey() {
        define(PROD_API, "DB", "prod-api-db");

        Map<String, SortedSet<String>> affected = change(PROJECT, Map.of("DB", v("old")), Map.of("DB", v("new")));

        assertThat(affected).containsOnlyKeys("prod/worker", "staging/api", "staging/worker");
        assertThat(affected.get("staging/api")).containsExactly("DB");
    }

    @Test
    void settingTheSameValueRestartsNobody() {
        assertThat(change(PROJECT, Map.of("DB", v("same")), Map.of("DB", v("same"))))
                .isEmpty();
    }

    @Test
    void deletingAnOverrideRestartsOnlyItsDeployment() {
        define(PROJECT, "DB", "project-db");

        Map<String, SortedSet<String>> affected = change(PROD_API, Map.of("DB", v("override")), Map.of());

        assertThat(affected).containsOnlyKeys("prod/api");
        assertThat(fallbackReads).containsExactly(PROJECT);
    }

    @Test
    void deletingAnOverrideThatEqualsItsFallbackRestartsNobody() {
        define(PROJECT, "DB", "same");

        assertThat(change(PROD_API, Map.of("DB", v("same")), Map.of())).isEmpty();
    }

    @Test
    void newOverrideWithTheInheritedValueRestartsNobody() {
        define(PROJECT, "DB", "inherited");

        assertThat(change(API, Map.of(), Map.of("DB", v("inherited")))).isEmpty();
        assertThat(change(API, Map.of(), Map.of("DB", v("different")))).containsOnlyKeys("prod/api", "staging/api");
    }

    @Test
    void environmentChangeSkipsServicesThatOverrideAtServiceScope() {
        define(API, "LOG_LEVEL", "debug");

        assertThat(change(PROD, Map.of(), Map.of("LOG_LEVEL", v("info")))).containsOnlyKeys("prod/worker");
    }

    @Test
    void onlyTheKeysWhoseValueChangedAreNamed() {
        Map<String, SortedSet<String>> affected = change(
                PROJECT,
                Map.of("A", v("1"), "B", v("2"), "C", v("3")),
                Map.of("A", v("1"), "B", v("two"), "D", v("4")));

        assertThat(affected.get("prod/api")).containsExactly("B", "C", "D");
    }

    @Test
    void deletingAKeyNobodyElseDefinesRestartsEveryoneThatSawIt() {
        assertThat(change(Scope.environmentType("acme", EnvironmentType.STAGING), Map.of("X", v("1")), Map.of()))
                .containsOnlyKeys("staging/api", "staging/worker");
    }

    private Map<String, SortedSet<String>> change(
            Scope scope, Map<String, SecretValue> before, Map<String, SecretValue> after) {
        Set<String> touched = new java.util.TreeSet<>(before.keySet());
        touched.addAll(after.keySet());
        return Impact.affected(deployments, scope, touched, before, after, definedAt, (s, key) -> {
            fallbackReads.add(s);
            return values.getOrDefault(s, Map.of()).get(key);
        });
    }

    private void define(Scope scope, String key, String value) {
        definedAt.computeIfAbsent(scope, s -> new java.util.HashSet<>()).add(key);
        values.computeIfAbsent(scope, s -> new HashMap<>()).put(key, v(value));
    }

    private static SecretValue v(String value) {
        return new SecretValue(value);
    }

    private static Impact.Candidate<String> candidate(String environment, EnvironmentType type, String service) {
        return new Impact.Candidate<>(
                environment + "/" + service, ScopeChain.forDeployment("acme", environment, type, service));
    }
}
