package io.vaultgate.audit;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.vaultgate.database.StoredTimes;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;

/**
 * The append-only audit log. Called inside the transaction of the write it records, so a write
 * and its audit row commit together; a refused or failed write, and a dry run, is recorded on its own.
 */
@Singleton
public class AuditLog {

    private static final String INSERT = "INSERT INTO audit_log (project_id, recorded_at, actor, actor_name, action,"
            + " scope, key_names, change_set_id, outcome, error_code, request_id, restart_mode, unchanged_keys)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final AuditRepository records;
    private final JdbcOperations jdbc;
    private final Clock clock;

    AuditLog(AuditRepository records, JdbcOperations jdbc, Clock clock) {
        this.records = records;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(AuditEntry entry) {
        Instant recordedAt = clock.instant();
        // On the transaction's connection, or one of its own outside a transaction (a refused
        // write's row). By hand, not through the repository: every write, mint and exchange records
        // one row, and the repository's save (its interceptors, entity mapping, a read of the
        // generated id nothing uses, a time bound as a timestamp) cost a mint a sixth of its request CPU.
        jdbc.execute(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                statement.setObject(1, entry.projectId(), Types.BIGINT);
                statement.setObject(2, StoredTimes.of(connection, recordedAt));
                statement.setString(3, entry.actor().accessor());
                statement.setString(4, entry.actor().displayName());
                statement.setString(5, entry.action());
                statement.setString(6, entry.scope());
                statement.setString(7, String.join(",", entry.keyNames()));
                statement.setString(8, entry.changeSetId());
                statement.setString(9, entry.outcome().wireName());
                statement.setString(
                        10, entry.errorCode() == null ? null : entry.errorCode().code());
                statement.setString(11, entry.actor().requestId());
                statement.setString(
                        12,
                        entry.restartMode() == null ? null : entry.restartMode().wireName());
                statement.setString(
                        13, entry.unchangedKeys().isEmpty() ? null : String.join(",", entry.unchangedKeys()));
                return statement.executeUpdate();
            }
        });
    }

    public Page<AuditRecord> newestFirst(Long projectId, int page, int size) {
        return records.findByProjectId(projectId, Pageable.from(page, size, Sort.of(Sort.Order.desc("id"))));
    }

    /** The records of a project the filter keeps, newest first. */
    public Page<AuditRecord> newestFirst(Long projectId, AuditFilter filter, int page, int size) {
        return records.findFiltered(
                projectId, filter.actor(), filter.key(), filter.changeSet(), Pageable.from(page, size));
    }
}
