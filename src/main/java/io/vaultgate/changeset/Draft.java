package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Actor;
import io.vaultgate.secret.MultiScopeRelease;
import java.time.Instant;

/**
 * One {@code change_set_draft} row: never a value.
 *
 * @param vaultVersion     the version of the draft's Vault entry that holds this revision's values
 * @param appliedChangeSet the id of the change_set its release applies, recorded before the release begins
 * @param releaseRestarts  the restarts the release answered, as JSON (names only)
 */
record Draft(
        String id,
        long projectId,
        String project,
        String description,
        DraftState state,
        int revision,
        int vaultVersion,
        String authorAccessor,
        @Nullable String authorName,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant notBefore,
        @Nullable String releasedBy,
        @Nullable String releasedByName,
        @Nullable String releaseRequestId,
        @Nullable String appliedChangeSet,
        @Nullable Instant releasingSince,
        @Nullable Instant releasedAt,
        @Nullable String releaseRestarts,
        @Nullable String failureCode,
        @Nullable String failureDetail,
        @Nullable Instant failureAt) {

    String apiPath() {
        return MultiScopeRelease.draftPath(project, id);
    }

    /** Who a release runs as: who asked for it (a scheduled release runs later, as them). */
    @Nullable
    Actor releaser() {
        return releasedBy == null
                ? null
                : new Actor(
                        releasedBy, releasedByName, releaseRequestId == null ? "change-set-" + id : releaseRequestId);
    }
}
