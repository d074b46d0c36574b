package io.vaultgate.vault;

import java.util.List;
import java.util.Objects;

/**
 * A deployment as the token authority knows it: the name its workload tokens are bound to
 * (Vault: an entity alias on the token auth method), the slugs its one templated policy reads
 * its entries by, and those entries themselves (what a token bound to it may read).
 *
 * @param bindingName     unique per deployment, mount and path prefix; never reused for another deployment
 * @param environmentType the wire name of its environment's type, which picks its type entry
 * @param entries         its five scope entries, in precedence order
 */
public record DeploymentIdentity(String bindingName, String project, String environment, String environmentType,
                                 String service, List<EntryPath> entries) {

    public DeploymentIdentity {
        Objects.requireNonNull(bindingName, "bindingName");
        entries = List.copyOf(entries);
    }
}
