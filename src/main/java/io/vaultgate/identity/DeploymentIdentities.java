package io.vaultgate.identity;

import io.vaultgate.project.DeploymentRef;
import io.vaultgate.values.EntryPath;
import jakarta.inject.Singleton;

/**
 * Deployments as identities: each registered deployment has an identity in the token authority
 * that its workload tokens are bound to, and the authority's one workload policy lets a token read
 * exactly the five scope entries of its identity's deployment. {@link CatalogListener} binds the
 * identity when the deployment is registered (and on every repeated PUT of it or its environment),
 * rebinds every deployment of an environment whose type changes (the environment-type entry of its
 * chain moves), and retires it with the deployment; {@link WorkloadTokens} binds it again before
 * each mint, so a mint repairs what a failed catalog change left behind.
 */
@Singleton
public class DeploymentIdentities {

    private final IdentityOperations identity;

    DeploymentIdentities(IdentityOperations identity) {
        this.identity = identity;
    }

    /** The deployment as the token authority knows it: its slugs and the entries of its chain. */
    static DeploymentIdentity identityOf(DeploymentRef deployment) {
        return new DeploymentIdentity(
                deployment.project(),
                deployment.environment(),
                deployment.type().wireName(),
                deployment.service(),
                deployment.chain().scopes().stream().map(EntryPath::of).toList());
    }

    /** Creates or updates the deployment's identity; tokens already bound to it follow. */
    public DeploymentIdentity bind(DeploymentRef deployment) {
        DeploymentIdentity bound = identityOf(deployment);
        identity.bindDeployment(bound);
        return bound;
    }

    /** Leaves the deployment's identity reading nothing. */
    public void retire(DeploymentRef deployment) {
        identity.retireDeployment(identityOf(deployment));
    }
}
