package io.vaultgate.identity;

import io.vaultgate.project.DeploymentRef;
import io.vaultgate.scope.Scope;
import io.vaultgate.vault.EntryPath;
import io.vaultgate.vault.IdentityOperations;
import io.vaultgate.vault.VaultProperties;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;

/**
 * Deployments as identities: each registered deployment has a Vault ACL policy that reads
 * exactly its five scope entries and nothing else. {@link CatalogListener} writes it when the
 * deployment is registered (and on every repeated PUT), rewrites it for every deployment of an
 * environment whose type changes (the environment-type entry of its chain moves), and deletes it
 * with the deployment; {@link WorkloadTokens} writes it again before each mint.
 *
 * <p>Policy names: {@code vaultgate-deployment.<mount>.<path prefix>.<project>.<environment>.<service>}
 * (a '/' of mount or prefix becomes '.'; Vault lower-cases policy names). Slugs cannot hold a
 * '.', so a name maps to one deployment; the mount and prefix keep two gateways that share a
 * Vault apart. The gateway's own policy may manage only {@code vaultgate-deployment.<mount>.*}.
 */
@Singleton
public class DeploymentPolicies {

    public static final String NAME_PREFIX = "vaultgate-deployment.";

    private final IdentityOperations identity;
    private final String namePrefix;

    DeploymentPolicies(IdentityOperations identity, VaultProperties vault) {
        this.identity = identity;
        this.namePrefix = namePrefix(vault.mount(), vault.pathPrefix());
    }

    static String namePrefix(String mount, String pathPrefix) {
        String prefix = pathPrefix == null ? "" : strip(pathPrefix);
        return (NAME_PREFIX + strip(mount) + "." + (prefix.isEmpty() ? "" : prefix + "."))
                .replace('/', '.').toLowerCase(Locale.ROOT);
    }

    /** The policy a deployment's workload tokens carry. */
    public String policyName(String project, String environment, String service) {
        return namePrefix + project + "." + environment + "." + service;
    }

    /** The entries a deployment may read: its chain, nothing else. */
    static List<EntryPath> readableEntries(DeploymentRef deployment) {
        return deployment.chain().scopes().stream().map(Scope::entryPath).toList();
    }

    /** Writes (or rewrites) the deployment's policy. */
    public void write(DeploymentRef deployment) {
        identity.putReadPolicy(policyName(deployment.project(), deployment.environment(), deployment.service()),
                readableEntries(deployment));
    }

    /** Deletes the deployment's policy. */
    public void delete(DeploymentRef deployment) {
        identity.deletePolicy(policyName(deployment.project(), deployment.environment(), deployment.service()));
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
