package io.vaultgate.identity;

import io.vaultgate.project.DeploymentRef;
import io.vaultgate.scope.Scope;
import io.vaultgate.vault.DeploymentIdentity;
import io.vaultgate.vault.IdentityOperations;
import io.vaultgate.vault.VaultProperties;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * Deployments as identities: each registered deployment has an identity in the token authority
 * that its workload tokens are bound to, and the authority's one workload policy lets a token read
 * exactly the five scope entries of its identity's deployment. {@link CatalogListener} binds the
 * identity when the deployment is registered (and on every repeated PUT), rebinds every deployment
 * of an environment whose type changes (the environment-type entry of its chain moves), and
 * retires it with the deployment; {@link WorkloadTokens} binds it again before each mint, so a
 * mint repairs what a failed catalog change left behind.
 *
 * <p>Binding names: {@code vaultgate-deployment.<mount>.<path prefix>.<project>.<environment>.<service>}
 * (a '/' of the mount becomes '.', lower case). Slugs cannot hold a '.', so a name maps to one
 * deployment of one path prefix; the workload token role accepts only names of
 * {@code vaultgate-deployment.<mount>.*}. One Vault serves one Vaultgate installation (its policy and
 * role names are fixed); installations that share it keep apart by path prefix on the same mount.
 */
@Singleton
public class DeploymentIdentities {

    public static final String NAME_PREFIX = "vaultgate-deployment.";

    private final IdentityOperations identity;
    private final String namePrefix;

    DeploymentIdentities(IdentityOperations identity, VaultProperties vault) {
        this.identity = identity;
        this.namePrefix = namePrefix(vault.mount(), vault.pathPrefix());
    }

    static String namePrefix(String mount, String pathPrefix) {
        String prefix = pathPrefix == null ? "" : strip(pathPrefix);
        return (NAME_PREFIX + strip(mount) + "." + (prefix.isEmpty() ? "" : prefix + "."))
                .replace('/', '.').toLowerCase(Locale.ROOT);
    }

    /** The name a deployment's workload tokens are bound to. */
    public String bindingName(String project, String environment, String service) {
        return namePrefix + project + "." + environment + "." + service;
    }

    /** The deployment as the token authority knows it: its name, slugs and the entries of its chain. */
    static DeploymentIdentity identityOf(DeploymentRef deployment, String bindingName) {
        return new DeploymentIdentity(bindingName, deployment.project(), deployment.environment(),
                deployment.type().wireName(), deployment.service(),
                deployment.chain().scopes().stream().map(Scope::entryPath).toList());
    }

    /** Creates or updates the deployment's identity; tokens already bound to it follow. */
    public void bind(DeploymentRef deployment) {
        identity.bindDeployment(identityOf(deployment,
                bindingName(deployment.project(), deployment.environment(), deployment.service())));
    }

    /** Leaves the deployment's identity reading nothing. */
    public void retire(DeploymentRef deployment) {
        identity.retireDeployment(bindingName(deployment.project(), deployment.environment(), deployment.service()));
    }

    private static String strip(String s) {
        String t = s == null ? "" : s.strip();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
