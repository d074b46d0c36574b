package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A key at one scope: its own version counter (1, 2, 3... across sets and deletes) and the KV
 * entry version that holds its current value. A deleted key keeps its row so its history and
 * numbering go on if it is set again.
 */
@MappedEntity("secret")
record Secret(
        @Id @GeneratedValue @Nullable Long id,
        Long scopeEntryId,
        String keyName,
        int version,
        int vaultVersion,
        boolean deleted,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy,
        @Nullable Instant lastAccessedAt) {

    /** The version a caller's {@code expectedVersion} is compared with: 0 when the key does not exist. */
    int liveVersion() {
        return deleted ? 0 : version;
    }

    Secret next(int newVaultVersion, boolean delete, Instant at, String actor) {
        return new Secret(
                id,
                scopeEntryId,
                keyName,
                version + 1,
                newVaultVersion,
                delete,
                deleted && !delete ? at : createdAt,
                deleted && !delete ? actor : createdBy,
                at,
                actor,
                lastAccessedAt);
    }
}
