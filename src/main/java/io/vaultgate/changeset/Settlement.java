package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Actor;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.audit.Outcome;
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
 * or by the reconciler after a crash) makes the draft {@code released}; aborted, or never begun
 * within {@code releasing-lease}, returns it to {@code draft} with {@code lastReleaseFailure}; a
 * change-set still pending leaves it {@code releasing}. Every transition is conditional on the
 * draft still releasing that change-set, so the view, the job and the releaser may all try.
 */
@Singleton
class Settlement {

    private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

    static final String RELEASE_ABORTED = "release-aborted";
    static final String RELEASE_NOT_BEGUN = "release-not-begun";

    private final DraftRows rows;
    private final DraftViews views;
    private final MultiScopeRelease release;
    private final DraftEntryCleanup cleanup;
    private final AuditLog audit;
    private final Transactions transactions;
    private final ChangeSetProperties properties;
    private final Clock clock;

    Settlement(
            DraftRows rows,
            DraftViews views,
            MultiScopeRelease release,
            DraftEntryCleanup cleanup,
            AuditLog audit,
            Transactions transactions,
            ChangeSetProperties properties,
            Clock clock) {
        this.rows = rows;
        this.views = views;
        this.release = release;
        this.cleanup = cleanup;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /** Settles a releasing draft if its change-set is settled; a draft in another state is left alone. */
    void settle(Draft draft) {
        if (draft.state() != DraftState.RELEASING || draft.appliedChangeSet() == null) {
            return;
        }
        MultiScopeRelease.ReleaseState state = release.state(draft.appliedChangeSet());
        Instant now = clock.instant();
        switch (state) {
            case COMMITTED -> released(draft, restartsOfCommitted(draft), Outcome.COMPLETED_BY_RECONCILER);
            case ABORTED ->
                failed(
                        draft,
                        RELEASE_ABORTED,
                        "The release's change-set " + draft.appliedChangeSet()
                                + " was aborted: no scope was changed. The draft may be released again.",
                        Outcome.ABORTED);
            case NONE -> {
                Instant since = draft.releasingSince() == null ? draft.updatedAt() : draft.releasingSince();
                if (since.plus(properties.releasingLease()).isBefore(now)) {
                    failed(
                            draft,
                            RELEASE_NOT_BEGUN,
                            "The release was taken but its change-set never began (the releasing gateway stopped"
                                    + " first): no scope was changed. The draft may be released again.",
                            Outcome.ABORTED);
                }
            }
            case PENDING -> {}
        }
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

    /**
     * The restarts of a change-set committed without its releaser's answer (the reconciler finished
     * it): asking the release again with the same id answers its first outcome.
     */
    @Nullable
    private ChangeSetViews.Restart restartsOfCommitted(Draft draft) {
        try {
            MultiScopeRelease.Released replayed = release.release(
                    draft.appliedChangeSet(),
                    draft.id(),
                    actorOf(draft),
                    views.changes(draft, transactions.executeRead(status -> rows.operations(draft.id()))),
                    RestartMode.EVENTS);
            return restartOf(replayed.restarts());
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
