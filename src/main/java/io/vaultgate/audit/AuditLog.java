package io.vaultgate.audit;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * The append-only audit log. Called inside the transaction of the write it records, so a write
 * and its audit row commit together; a refused or failed write, and a dry run, is recorded on its own.
 */
@Singleton
public class AuditLog {

    private final AuditRepository records;
    private final Clock clock;

    AuditLog(AuditRepository records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    public void record(AuditEntry entry) {
        records.save(recordOf(entry, clock.instant()));
    }

    /**
     * Several entries in one multi-row insert on {@code connection}, the caller's transaction's:
     * Micronaut Data's {@code saveAll} inserts entities with generated ids one statement at a time
     * on MySQL, and its mapping of each was most of what a group of minted tokens cost to record.
     */
    public void recordAll(Connection connection, List<AuditEntry> entries) {
        String row = "(" + String.join(", ", Collections.nCopies(13, "?")) + ")";
        String sql = INSERT + String.join(", ", Collections.nCopies(entries.size(), row));
        Instant now = clock.instant();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int at = 0;
            for (AuditEntry entry : entries) {
                AuditRecord r = recordOf(entry, now);
                statement.setObject(++at, r.projectId(), Types.BIGINT);
                statement.setObject(++at, r.recordedAt());
                statement.setString(++at, r.actor());
                statement.setString(++at, r.actorName());
                statement.setString(++at, r.action());
                statement.setString(++at, r.scope());
                statement.setString(++at, r.keyNames());
                statement.setString(++at, r.changeSetId());
                statement.setString(++at, r.outcome());
                statement.setString(++at, r.errorCode());
                statement.setString(++at, r.requestId());
                statement.setString(++at, r.restartMode());
                statement.setString(++at, r.unchangedKeys());
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            // The exception Micronaut Data throws, so failures are told apart as for every other statement.
            throw new DataAccessException(entries.size() + " audit rows failed", e);
        }
    }

    private static final String INSERT = "INSERT INTO audit_log (project_id, recorded_at, actor, actor_name, action,"
            + " scope, key_names, change_set_id, outcome, error_code, request_id, restart_mode, unchanged_keys) VALUES ";

    private static AuditRecord recordOf(AuditEntry entry, Instant now) {
        return new AuditRecord(
                null,
                entry.projectId(),
                now,
                entry.actor().accessor(),
                entry.actor().displayName(),
                entry.action(),
                entry.scope(),
                String.join(",", entry.keyNames()),
                entry.changeSetId(),
                entry.outcome().wireName(),
                entry.errorCode() == null ? null : entry.errorCode().code(),
                entry.actor().requestId(),
                entry.restartMode() == null ? null : entry.restartMode().wireName(),
                entry.unchangedKeys().isEmpty() ? null : String.join(",", entry.unchangedKeys()));
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
