package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * "Deployment D must restart because change-sets C changed keys K." The row id is the feed's
 * cursor; {@code eventId} is what receivers deduplicate on. Until {@code deliverAfter} the
 * event may still absorb later change-sets for the same deployment (the coalescing window).
 */
@MappedEntity("restart_event")
record RestartEvent(
        @Id @GeneratedValue @Nullable Long id,
        String eventId,
        Long projectId,
        Long deploymentId,
        String environment,
        String service,
        String reason,
        String changeSetIds,
        String keyNames,
        String configRevision,
        String actor,
        Instant createdAt,
        Instant deliverAfter) {

    List<String> changeSets() {
        return split(changeSetIds);
    }

    List<String> keys() {
        return split(keyNames);
    }

    private static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
