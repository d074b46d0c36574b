package io.vaultgate.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AuditRepository extends CrudRepository<AuditRecord, Long> {

    Page<AuditRecord> findByProjectId(Long projectId, Pageable pageable);

    /** A null filter part matches every record; a key matches one of the record's comma-joined keys. */
    @Query(
            value = "SELECT * FROM audit_log WHERE project_id = :projectId" + FILTER + " ORDER BY id DESC",
            countQuery = "SELECT COUNT(*) FROM audit_log WHERE project_id = :projectId" + FILTER)
    Page<AuditRecord> findFiltered(
            Long projectId,
            @Nullable String actor,
            @Nullable String key,
            @Nullable String changeSet,
            Pageable pageable);

    String FILTER = " AND (:actor IS NULL OR actor = :actor OR actor_name = :actor)"
            + " AND (:key IS NULL OR FIND_IN_SET(:key, key_names) > 0)"
            + " AND (:changeSet IS NULL OR change_set_id = :changeSet)";
}
