package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.vaultgate.access.Actor;
import io.vaultgate.database.RestartModeColumn;
import io.vaultgate.web.RestartMode;
import java.time.Instant;

/**
 * One accepted write. Recorded as pending before Vault is written; committed once the metadata
 * follows, aborted when Vault was not written. Carries key names (in {@link ChangeSetKey}), never
 * values. {@code actor}, {@code actorName} and {@code requestId} are its {@link Actor}.
 */
@MappedEntity("change_set")
record ChangeSet(
        @Id String id,
        Long projectId,
        Long scopeEntryId,
        String action,

        @MappedProperty(converter = ChangeSetStatus.Column.class)
        ChangeSetStatus status,

        int baseVaultVersion,
        @Nullable Integer newVaultVersion,
        String actor,
        @Nullable String actorName,
        String requestId,
        @Nullable String idempotencyHash,
        @Nullable String idempotencyPath,
        Instant createdAt,
        @Nullable Instant completedAt,
        @MappedProperty(converter = RestartModeColumn.class) RestartMode restartMode,
        @Nullable String draftId) {

    static ChangeSet pending(
            String id,
            Long projectId,
            Long scopeEntryId,
            String action,
            int baseVaultVersion,
            Actor by,
            @Nullable String idempotencyHash,
            @Nullable String idempotencyPath,
            Instant createdAt,
            RestartMode restartMode) {
        return new ChangeSet(
                id,
                projectId,
                scopeEntryId,
                action,
                ChangeSetStatus.PENDING,
                baseVaultVersion,
                null,
                by.accessor(),
                by.displayName(),
                by.requestId(),
                idempotencyHash,
                idempotencyPath,
                createdAt,
                null,
                restartMode,
                null);
    }

    /** A multi-scope change-set, the release of the change-set draft {@code draftId}. */
    ChangeSet forDraft(String draft) {
        return new ChangeSet(
                id,
                projectId,
                scopeEntryId,
                action,
                status,
                baseVaultVersion,
                newVaultVersion,
                actor,
                actorName,
                requestId,
                idempotencyHash,
                idempotencyPath,
                createdAt,
                completedAt,
                restartMode,
                draft);
    }

    boolean pending() {
        return status == ChangeSetStatus.PENDING;
    }

    boolean committed() {
        return status == ChangeSetStatus.COMMITTED;
    }

    boolean aborted() {
        return status == ChangeSetStatus.ABORTED;
    }

    /** Who asked for it, through which request. */
    Actor by() {
        return new Actor(actor, actorName, requestId);
    }

    ChangeSet committed(int vaultVersion, Instant at) {
        return new ChangeSet(
                id,
                projectId,
                scopeEntryId,
                action,
                ChangeSetStatus.COMMITTED,
                baseVaultVersion,
                vaultVersion,
                actor,
                actorName,
                requestId,
                idempotencyHash,
                idempotencyPath,
                createdAt,
                at,
                restartMode,
                draftId);
    }

    /** An aborted change-set frees its idempotency key: a retry with it must really apply. */
    ChangeSet aborted(Instant at) {
        return new ChangeSet(
                id,
                projectId,
                scopeEntryId,
                action,
                ChangeSetStatus.ABORTED,
                baseVaultVersion,
                null,
                actor,
                actorName,
                requestId,
                null,
                idempotencyPath,
                createdAt,
                at,
                restartMode,
                draftId);
    }
}
