package io.vaultgate.restart;

import java.util.SortedSet;

/**
 * A restart owed to one deployment by one change: what the write path hands to the outbox.
 *
 * @param reason         {@code secret-change}, {@code deployment-registered} or {@code environment-type-changed}
 * @param changeSetId    the change-set, or null for a catalog change
 * @param keys           the keys whose resolved value changed (names only)
 * @param configRevision the deployment's config revision after the change
 */
public record NewEvent(
        Long projectId,
        Long deploymentId,
        String environment,
        String service,
        String reason,
        String changeSetId,
        SortedSet<String> keys,
        String configRevision,
        String actor) {}
