package io.vaultgate.project;

import io.micronaut.core.annotation.Introspected;
import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.ScopeChain;

/**
 * A registered deployment named by its slugs, with its environment's type: everything needed to
 * build its scope chain, loaded in one SQL statement.
 */
@Introspected
public record DeploymentRef(
        Long deploymentId, Long projectId, String project, String environment, String service, String environmentType) {

    public EnvironmentType type() {
        return EnvironmentType.stored(environmentType);
    }

    public ScopeChain chain() {
        return ScopeChain.forDeployment(project, environment, type(), service);
    }
}
