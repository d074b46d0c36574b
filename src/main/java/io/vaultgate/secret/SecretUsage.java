package io.vaultgate.secret;

import io.vaultgate.project.Catalog;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.project.Project;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How many deployments resolve a key to one scope's definition: those whose chain holds the
 * scope and where no more specific scope of the chain overrides the key. Precedence is
 * {@link ScopeChain#resolve}'s, run on that one key.
 */
@Singleton
class SecretUsage {

    private final Catalog catalog;
    private final SecretMetadata metadata;

    SecretUsage(Catalog catalog, SecretMetadata metadata) {
        this.catalog = catalog;
        this.metadata = metadata;
    }

    int deploymentsResolving(Scope scope, String key) {
        Project project = catalog.requireProject(scope.project());
        Set<Scope> defining = metadata.scopesDefining(project.id(), key);
        Map<Scope, Map<String, Boolean>> keysByScope = new HashMap<>();
        defining.forEach(s -> keysByScope.put(s, Map.of(key, Boolean.TRUE)));
        int usage = 0;
        for (DeploymentRef deployment : catalog.deploymentRefsOf(project)) {
            ScopeChain chain = deployment.chain();
            if (chain.scopes().contains(scope)) {
                ScopeChain.Resolved<Boolean> resolved = chain.resolve(keysByScope).get(key);
                if (resolved != null && resolved.source().scope().equals(scope)) {
                    usage++;
                }
            }
        }
        return usage;
    }
}
