package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One accepted write. Recorded as PENDING before Vault is written; COMMITTED once the metadata
 * follows, ABORTED when Vault was not written. Carries key names (in {@link ChangeSetKey}), never values.
 */
@MappedEntity("change_set")
record ChangeSet(@Id String id, Long projectId, Long scopeEntryId, String action, String status,
                 int baseVaultVersion, @Nullable Integer newVaultVersion, String actor, @Nullable String actorName,
                 String requestId, @Nullable String idempotencyHash, @Nullable String idempotencyPath,
                 Instant createdAt, @Nullable Instant completedAt, String restartMode) {

    static final String PENDING = "PENDING";
    static final String COMMITTED = "COMMITTED";
    static final String ABORTED = "ABORTED";

    boolean pending() {
        return PENDING.equals(status);
    }

    ChangeSet committed(int vaultVersion, Instant at) {
        return new ChangeSet(id, projectId, scopeEntryId, action, COMMITTED, baseVaultVersion, vaultVersion, actor,
                actorName, requestId, idempotencyHash, idempotencyPath, createdAt, at, restartMode);
    }

    /** An aborted change-set frees its idempotency key: a retry with it must really apply. */
    ChangeSet aborted(Instant at) {
        return new ChangeSet(id, projectId, scopeEntryId, action, ABORTED, baseVaultVersion, null, actor,
                actorName, requestId, null, idempotencyPath, createdAt, at, restartMode);
    }
}
