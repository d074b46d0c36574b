package io.vaultgate.scope;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Scope precedence, in one place: the five scopes a deployment inherits from, least specific
 * first, and the merge that lets a more specific scope override a less specific one.
 *
 * @param scopes the deployment's scopes in precedence order (project first, service in environment last)
 */
public record ScopeChain(List<Scope> scopes) {

    public ScopeChain {
        scopes = List.copyOf(scopes);
    }

    public static ScopeChain forDeployment(
            String project, String environment, EnvironmentType environmentType, String service) {
        return new ScopeChain(List.of(
                Scope.project(project),
                Scope.environmentType(project, environmentType),
                Scope.environment(project, environment),
                Scope.service(project, service),
                Scope.serviceInEnvironment(project, environment, service)));
    }

    /**
     * Merges each scope's keys: for every key, the most specific scope that defines it is the
     * source, and the less specific ones that also define it are what it overrides.
     *
     * @param keysByScope for each scope of this chain, its keys and whatever the caller attaches to them
     * @return key → where it resolves from, sorted by key
     */
    public <T> SortedMap<String, Resolved<T>> resolve(Map<Scope, Map<String, T>> keysByScope) {
        SortedMap<String, Resolved<T>> resolved = new TreeMap<>();
        for (Scope scope : scopes) {
            Map<String, T> keys = keysByScope.getOrDefault(scope, Map.of());
            keys.forEach((key, item) -> {
                Resolved<T> previous = resolved.get(key);
                List<Defined<T>> overridden = new ArrayList<>();
                if (previous != null) {
                    overridden.addAll(previous.overrides());
                    overridden.add(0, previous.source());
                }
                resolved.put(key, new Resolved<>(key, new Defined<>(scope, item), overridden));
            });
        }
        return Collections.unmodifiableSortedMap(resolved);
    }

    /** A key as defined at one scope. */
    public record Defined<T>(Scope scope, T item) {}

    /**
     * A resolved key: where its value comes from, and the definitions it overrides, most
     * specific first.
     */
    public record Resolved<T>(String key, Defined<T> source, List<Defined<T>> overrides) {

        public Resolved {
            overrides = List.copyOf(overrides);
        }
    }
}
