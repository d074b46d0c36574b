package io.vaultgate.secret;

import io.vaultgate.project.Catalog;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.project.Project;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How many deployments resolve a key to one scope's definition: those whose chain holds the
 * scope and where no more specific scope of the chain overrides the key. Precedence is
 * {@link ScopeChain#resolve}'s, run on just the keys asked about. Two SQL statements however
 * many keys: a scope's list shows usage for every key.
 */
@Singleton
class SecretUsage {

    private final Catalog catalog;
    private final SecretMetadata metadata;

    SecretUsage(Catalog catalog, SecretMetadata metadata) {
        this.catalog = catalog;
        this.metadata = metadata;
    }

    /** For each of these keys defined at {@code scope}: how many deployments resolve it to that definition. */
    Map<String, Integer> deploymentsResolving(Scope scope, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Project project = catalog.requireProject(scope.project());
        Map<Scope, Map<String, Boolean>> keysByScope = new HashMap<>();
        metadata.scopesDefining(project.id(), keys)
                .forEach((key, scopes) -> scopes.forEach(s ->
                        keysByScope.computeIfAbsent(s, x -> new HashMap<>()).put(key, Boolean.TRUE)));
        Map<String, Integer> usage = new HashMap<>();
        keys.forEach(key -> usage.put(key, 0));
        for (DeploymentRef deployment : catalog.deploymentRefsOf(project)) {
            ScopeChain chain = deployment.chain();
            if (chain.scopes().contains(scope)) {
                chain.resolve(keysByScope).forEach((key, resolved) -> {
                    if (resolved.source().scope().equals(scope)) {
                        usage.merge(key, 1, Integer::sum);
                    }
                });
            }
        }
        return usage;
    }
}
