package io.vaultgate.secret;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The secret feature's tables: derived queries, and a written statement where one needs a join or
 * a conditional update. The write protocol composes them.
 */
final class Repositories {

    private Repositories() {}

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface ScopeEntries extends CrudRepository<ScopeEntry, Long> {

        Optional<ScopeEntry> findByEntryPath(String entryPath);

        Optional<ScopeEntry> findByEntryPathForUpdate(String entryPath);

        Optional<ScopeEntry> findByIdForUpdate(Long id);

        List<ScopeEntry> findByEntryPathIn(Collection<String> entryPaths);

        /** Marks the scope's intent as given up by its writer, if it is still that change-set's. */
        @Query("UPDATE scope_entry SET pending_abandoned = TRUE WHERE id = :id AND pending_change_set = :changeSetId")
        void markAbandoned(Long id, String changeSetId);

        List<ScopeEntry> findByPendingAbandonedTrue();
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface Secrets extends CrudRepository<Secret, Long> {

        Optional<Secret> findByScopeEntryIdAndKeyName(Long scopeEntryId, String keyName);

        List<Secret> findByScopeEntryIdAndKeyNameIn(Long scopeEntryId, Collection<String> keyNames);

        /**
         * Locks existing rows a commit rewrites, so a concurrent last-accessed flush waits instead of
         * being overwritten. By id only: locking by key would take gap locks where a row is missing.
         */
        List<Secret> findByIdInForUpdate(Collection<Long> ids);

        List<Secret> findByScopeEntryIdAndDeletedFalseOrderByKeyName(Long scopeEntryId);

        List<Secret> findByScopeEntryIdInAndDeletedFalse(Collection<Long> scopeEntryIds);

        /** By the unique index on (scope entry, key): only the named keys of these entries are read. */
        List<Secret> findByScopeEntryIdInAndKeyNameInAndDeletedFalse(
                Collection<Long> scopeEntryIds, Collection<String> keyNames);

        /** Live keys of these entries with their entry path: a resolution in one SQL statement. */
        @Query(SECRET_AT_PATH + "WHERE e.entry_path IN (:entryPaths) AND s.deleted = FALSE")
        List<SecretAtPath> findLiveByEntryPathIn(Collection<String> entryPaths);

        @Query(SECRET_AT_PATH + "WHERE e.project_id = :projectId AND s.key_name IN (:keyNames) AND s.deleted = FALSE")
        List<SecretAtPath> findLiveByProjectIdAndKeyNameIn(Long projectId, Collection<String> keyNames);

        @Query(SECRET_AT_PATH + "WHERE e.project_id = :projectId AND s.deleted = FALSE")
        List<SecretAtPath> findLiveByProjectId(Long projectId);

        /** Moves last_accessed_at forward only: a late flush never sets it back. */
        @Query("UPDATE secret SET last_accessed_at = :at WHERE id IN (:ids) "
                + "AND (last_accessed_at IS NULL OR last_accessed_at < :at)")
        void touchLastAccessed(Collection<Long> ids, Instant at);
    }

    static final String SECRET_AT_PATH =
            "SELECT s.id, s.scope_entry_id, s.key_name, s.version, s.vault_version, s.deleted, "
                    + "s.created_at, s.created_by, s.updated_at, s.updated_by, s.last_accessed_at, e.entry_path "
                    + "FROM secret s JOIN scope_entry e ON e.id = s.scope_entry_id ";

    /** A secret row with the entry path of its scope. */
    @io.micronaut.core.annotation.Introspected
    record SecretAtPath(
            Long id,
            Long scopeEntryId,
            String keyName,
            int version,
            int vaultVersion,
            boolean deleted,
            Instant createdAt,
            String createdBy,
            Instant updatedAt,
            String updatedBy,
            @io.micronaut.core.annotation.Nullable Instant lastAccessedAt,
            String entryPath) {

        Secret secret() {
            return new Secret(
                    id,
                    scopeEntryId,
                    keyName,
                    version,
                    vaultVersion,
                    deleted,
                    createdAt,
                    createdBy,
                    updatedAt,
                    updatedBy,
                    lastAccessedAt);
        }
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface SecretVersions extends CrudRepository<SecretVersion, Long> {

        List<SecretVersion> findBySecretIdOrderByVersionDesc(Long secretId);

        Optional<SecretVersion> findBySecretIdAndVersion(Long secretId, int version);

        List<SecretVersion> findByChangeSetId(String changeSetId);
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface ChangeSets extends CrudRepository<ChangeSet, String> {

        Optional<ChangeSet> findByIdempotencyHash(String idempotencyHash);

        List<ChangeSet> findByStatusAndCreatedAtLessThan(ChangeSetStatus status, Instant before);
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface ChangeSetKeys extends CrudRepository<ChangeSetKey, Long> {

        List<ChangeSetKey> findByChangeSetId(String changeSetId);
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface ChangeSetScopes extends CrudRepository<ChangeSetScope, Long> {

        List<ChangeSetScope> findByChangeSetId(String changeSetId);
    }
}
