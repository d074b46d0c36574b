package io.vaultgate.audit;

import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import jakarta.inject.Singleton;
import java.time.Clock;

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
        records.save(new AuditRecord(
                null,
                entry.projectId(),
                clock.instant(),
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
                entry.unchangedKeys().isEmpty() ? null : String.join(",", entry.unchangedKeys())));
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
