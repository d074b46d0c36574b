package io.vaultgate.audit;

import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Collection;
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

    public void record(Long projectId, String actor, String actorName, String action, String scope,
                       Collection<String> keyNames, String changeSetId, Outcome outcome, String errorCode,
                       String requestId) {
        record(projectId, actor, actorName, action, scope, keyNames, List.of(), changeSetId, outcome, errorCode,
                requestId, null);
    }

    /**
     * A secret write or dry run.
     *
     * @param unchangedKeys the keys answered {@code unchanged}: each told the caller that the value
     *                      sent is the stored one, which is what a guesser wants to learn
     * @param restartMode   {@code events} or {@code none} ({@code ?restart=none})
     */
    public void record(Long projectId, String actor, String actorName, String action, String scope,
                       Collection<String> keyNames, Collection<String> unchangedKeys, String changeSetId,
                       Outcome outcome, String errorCode, String requestId, String restartMode) {
        records.save(new AuditRecord(null, projectId, clock.instant(), actor, actorName, action, scope,
                String.join(",", keyNames), changeSetId, outcome.wireName(), errorCode, requestId, restartMode,
                unchangedKeys.isEmpty() ? null : String.join(",", unchangedKeys)));
    }

    public Page<AuditRecord> newestFirst(Long projectId, int page, int size) {
        return records.findByProjectId(projectId, Pageable.from(page, size, Sort.of(Sort.Order.desc("id"))));
    }

    /** How an audited write ended. */
    public enum Outcome {
        SUCCEEDED, REFUSED, FAILED, ABORTED, COMPLETED_BY_RECONCILER,
        /** {@code ?dryRun=true} answered what would change; nothing was written. */
        DRY_RUN,
        /** {@code ?dryRun=true} refused like the write would be (stale version, missing key); nothing was written. */
        DRY_RUN_REFUSED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
