package io.vaultgate.secret;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The secret feature's tables. Derived queries only; the write protocol composes them. */
final class Repositories {

    private Repositories() {
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface ScopeEntries extends CrudRepository<ScopeEntry, Long> {

        Optional<ScopeEntry> findByEntryPath(String entryPath);

        Optional<ScopeEntry> findByEntryPathForUpdate(String entryPath);

        Optional<ScopeEntry> findByIdForUpdate(Long id);

        List<ScopeEntry> findByEntryPathIn(Collection<String> entryPaths);
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface Secrets extends CrudRepository<Secret, Long> {

        Optional<Secret> findByScopeEntryIdAndKeyName(Long scopeEntryId, String keyName);

        List<Secret> findByScopeEntryIdAndKeyNameIn(Long scopeEntryId, Collection<String> keyNames);

        List<Secret> findByScopeEntryIdAndDeletedFalseOrderByKeyName(Long scopeEntryId);

        List<Secret> findByScopeEntryIdInAndDeletedFalse(Collection<Long> scopeEntryIds);

        List<Secret> findByIdIn(Collection<Long> ids);
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

        List<ChangeSet> findByStatusAndCreatedAtLessThan(String status, Instant before);

    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface ChangeSetKeys extends CrudRepository<ChangeSetKey, Long> {

        List<ChangeSetKey> findByChangeSetId(String changeSetId);
    }
}
