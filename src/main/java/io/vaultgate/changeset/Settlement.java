package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Actor;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.audit.Outcome;
import io.vaultgate.database.DatabaseClock;
import io.vaultgate.database.Transactions;
import io.vaultgate.secret.MultiScopeRelease;
import io.vaultgate.web.RestartMode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a draft follow its release's change-set once that is settled: committed (by its releaser
 * or by the reconciler after a crash) makes the draft {@code released}, with the restarts the
 * change-set recorded; aborted returns it to {@code draft} with {@code lastReleaseFailure}; a
 * change-set still pending leaves it {@code releasing}. The releaser has {@code releasing-lease}
 * (on the database's clock) to record its own outcome: until then nobody else does, and after it
 * a change-set never begun is fenced (recorded aborted) before the draft is given back. Every
 * transition is conditional on the draft still releasing that change-set, so the view, the job
 * and the releaser may all try.
 */
@Singleton
class Settlement {

    private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

    static final String RELEASE_ABORTED = "release-aborted";
    static final String RELEASE_NOT_BEGUN = "release-not-begun";

    private final DraftRows rows;
    private final MultiScopeRelease release;
    private final DraftEntryCleanup cleanup;
    private final AuditLog audit;
    private final Transactions transactions;
    private final ChangeSetProperties properties;
    private final DatabaseClock databaseClock;
    private final Clock clock;

    Settlement(
            DraftRows rows,
            MultiScopeRelease release,
            DraftEntryCleanup cleanup,
            AuditLog audit,
            Transactions transactions,
            ChangeSetProperties properties,
            DatabaseClock databaseClock,
            Clock clock) {
        this.rows = rows;
        this.release = release;
        this.cleanup = cleanup;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
        this.databaseClock = databaseClock;
        this.clock = clock;
    }

    /**
     * Settles a releasing draft if its change-set is settled; a draft in another state is left
     * alone. Within its lease (on the database's clock, which every replica shares) the releaser
     * is taken to be alive: a committed change-set is left for it to record with its own answer,
     * and a change-set not begun is left to begin. Past the lease, a change-set not begun is
     * fenced before the draft is given back, so a releaser that was only slow can no longer apply it.
     */
    void settle(Draft draft) {
        if (draft.state() != DraftState.RELEASING || draft.appliedChangeSet() == null) {
            return;
        }
        MultiScopeRelease.ReleaseState state = release.state(draft.appliedChangeSet());
        switch (state) {
            case COMMITTED -> {
                if (leaseExpired(draft)) {
                    settleCommitted(draft, Outcome.COMPLETED_BY_RECONCILER);
                }
            }
            case ABORTED -> aborted(draft);
            case NONE -> {
                if (leaseExpired(draft)) {
                    fenced(draft);
                }
            }
            case PENDING -> {}
        }
    }

    /** The releaser's own settling once its change-set is known committed: no lease to wait out. */
    void settleCommitted(Draft draft, Outcome outcome) {
        released(draft, restartsOfCommitted(draft), outcome);
    }

    private void fenced(Draft draft) {
        MultiScopeRelease.ReleaseState state =
                release.fence(draft.project(), draft.appliedChangeSet(), draft.id(), actorOf(draft));
        switch (state) {
            case ABORTED ->
                failed(
                        draft,
                        RELEASE_NOT_BEGUN,
                        "The release was taken but its change-set never began (the releasing gateway stopped"
                                + " or stalled first): no scope was changed. The draft may be released again.",
                        Outcome.ABORTED);
            // It began just before the fence: settled like any other once it ends.
            case COMMITTED -> settleCommitted(draft, Outcome.COMPLETED_BY_RECONCILER);
            case NONE, PENDING -> {}
        }
    }

    private void aborted(Draft draft) {
        failed(
                draft,
                RELEASE_ABORTED,
                "The release's change-set " + draft.appliedChangeSet()
                        + " was aborted: no scope was changed. The draft may be released again.",
                Outcome.ABORTED);
    }

    private boolean leaseExpired(Draft draft) {
        Instant since = draft.releasingSince() == null ? draft.updatedAt() : draft.releasingSince();
        return since.plus(properties.releasingLease()).isBefore(databaseClock.now());
    }

    /** Marks the draft released with the restarts its release answered, and deletes its Vault entry. */
    void released(Draft draft, @Nullable ChangeSetViews.Restart restarts, Outcome outcome) {
        Instant now = clock.instant();
        boolean done = transactions.executeWrite(status -> {
            if (!rows.released(
                    draft.id(),
                    draft.appliedChangeSet(),
                    restarts == null ? null : DraftViews.restartJson(restarts),
                    now)) {
                return false;
            }
            audit.record(AuditEntry.of(draft.projectId(), actorOf(draft), "change-set.release", draft.apiPath())
                    .keys(Drafts.keysOf(rows.operations(draft.id())))
                    .changeSet(draft.id())
                    .ended(outcome, null)
                    .restart(RestartMode.EVENTS));
            return true;
        });
        if (done) {
            cleanup.delete(draft.project(), draft.id());
        }
    }

    /** Back to draft with why; the change-set wrote nothing. */
    void failed(Draft draft, String code, String detail, Outcome outcome) {
        transactions.executeWrite(status -> {
            if (rows.failed(draft.id(), draft.appliedChangeSet(), code, detail, clock.instant())) {
                audit.record(AuditEntry.of(draft.projectId(), actorOf(draft), "change-set.release", draft.apiPath())
                        .changeSet(draft.id())
                        .ended(outcome, null));
            }
            return null;
        });
    }

    static ChangeSetViews.Restart restartOf(List<MultiScopeRelease.AffectedDeployment> restarts) {
        return new ChangeSetViews.Restart(
                restarts.size(),
                restarts.stream()
                        .map(a ->
                                new ChangeSetViews.DeploymentKeys(a.environment(), a.service(), List.copyOf(a.keys())))
                        .toList());
    }

    /** The restarts a committed change-set recorded, read back from its restart events. */
    @Nullable
    private ChangeSetViews.Restart restartsOfCommitted(Draft draft) {
        try {
            return restartOf(release.restartsOf(draft.project(), draft.appliedChangeSet()));
        } catch (RuntimeException e) {
            LOG.warn(
                    "Change-set draft {} was released by change-set {}, whose restarts could not be read back ({}).",
                    draft.id(),
                    draft.appliedChangeSet(),
                    e.getClass().getSimpleName());
            return null;
        }
    }

    private static Actor actorOf(Draft draft) {
        Actor releaser = draft.releaser();
        return releaser != null
                ? releaser
                : new Actor(draft.authorAccessor(), draft.authorName(), "change-set-" + draft.id());
    }
}
