package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.vaultgate.database.EnumColumn;
import io.vaultgate.scope.ScopeKind;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * A scope that holds secrets: its KV entry, the entry version MySQL has acknowledged, and the
 * change-set that is writing it right now, if any; {@code pendingAbandoned} when that change-set's
 * writer gave up after a value-store call that may have landed, so it is settled at the first chance.
 */
@MappedEntity("scope_entry")
record ScopeEntry(
        @Id @GeneratedValue @Nullable Long id,
        Long projectId,
        String entryPath,
        @MappedProperty(converter = ScopeKindColumn.class) ScopeKind scopeKind,
        int vaultVersion,
        @Nullable String pendingChangeSet,
        @Nullable Instant pendingSince,
        boolean pendingAbandoned) {

    static ScopeEntry empty(@Nullable Long id, @Nullable Long projectId, String entryPath, ScopeKind scopeKind) {
        return new ScopeEntry(id, projectId, entryPath, scopeKind, 0, null, null, false);
    }

    ScopeEntry pending(String changeSetId, Instant since) {
        return new ScopeEntry(id, projectId, entryPath, scopeKind, vaultVersion, changeSetId, since, false);
    }

    ScopeEntry settled(int newVaultVersion) {
        return new ScopeEntry(id, projectId, entryPath, scopeKind, newVaultVersion, null, null, false);
    }

    @Singleton
    static final class ScopeKindColumn extends EnumColumn<ScopeKind> {
        ScopeKindColumn() {
            super(ScopeKind.class);
        }
    }
}
