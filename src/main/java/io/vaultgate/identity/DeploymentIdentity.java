package io.vaultgate.identity;

import io.vaultgate.values.EntryPath;
import java.util.List;
import java.util.Objects;

/**
 * A deployment as the token authority knows it: the slugs its one templated workload policy reads
 * its entries by, and those entries themselves (what a token bound to it may read). How the
 * authority names it (Vault: an entity alias on the token auth method) is the adapter's business.
 *
 * @param environmentType the wire name of its environment's type, which picks its type entry
 * @param entries         its five scope entries, in precedence order
 */
public record DeploymentIdentity(
        String project, String environment, String environmentType, String service, List<EntryPath> entries) {

    public DeploymentIdentity {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(service, "service");
        entries = List.copyOf(entries);
    }
}
