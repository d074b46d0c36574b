package io.vaultgate.delivery;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * What the rollout ledger keeps of one instance of a deployment: the revision it last received
 * (or reported booting from a fallback with), when it got that revision, when it was last seen,
 * through which token accessor, and whether that revision came from a fallback file.
 *
 * <p>{@link #merge} is the one rule for two sightings of the same instance, applied in memory
 * between flushes and by the flush's upsert against the row (the SQL repeats it): the later
 * sighting wins; while the revision stays the same, the earliest boot time stays and a fallback
 * boot stays marked, since a poll answered 304 confirms the revision, not how it was booted.
 */
record Sighting(
        long deploymentId,
        @Nullable String instance,
        String tokenAccessor,
        String revision,
        Instant bootedAt,
        Instant lastSeenAt,
        boolean fromFallback) {

    /** The ledger's key: the instance id when sent, else the accessor (one token, one instance). */
    String instanceKey() {
        return instance != null ? "i:" + instance : "a:" + tokenAccessor;
    }

    Sighting merge(Sighting other) {
        Sighting later = other.lastSeenAt.isBefore(lastSeenAt) ? this : other;
        Sighting earlier = later == this ? other : this;
        if (!later.revision.equals(earlier.revision)) {
            return later;
        }
        return new Sighting(
                deploymentId,
                later.instance,
                later.tokenAccessor,
                later.revision,
                earlier.bootedAt.isBefore(later.bootedAt) ? earlier.bootedAt : later.bootedAt,
                later.lastSeenAt,
                later.fromFallback || earlier.fromFallback);
    }
}
