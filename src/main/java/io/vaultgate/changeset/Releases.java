package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.audit.Outcome;
import io.vaultgate.database.DatabaseClock;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.secret.MultiScopeRelease;
import io.vaultgate.secret.SecretService;
import io.vaultgate.secret.StagedChange;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.RestartMode;
import io.vaultgate.web.Rfc3339;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Releasing a draft, now or not before a time. A release checks the state and the approvals at
 * the current revision, then takes the draft ({@code releasing}, with the id of the change-set
 * it will apply, committed BEFORE the write begins), hands every staged operation to
 * {@link MultiScopeRelease} as one change-set, and records the outcome: {@code released}, or back
 * to {@code draft} with {@code lastReleaseFailure}. When the outcome is unknown (the gateway or
 * MySQL failed mid-way) the change-set's own state decides, now or once the reconciler has
 * settled it ({@link Settlement}).
 */
@Singleton
class Releases {

    /** MySQL's DATETIME ends with 9999; a time is rounded up to the second before it is stored. */
    private static final Instant LATEST_NOT_BEFORE = Instant.parse("9999-12-31T23:59:58Z");

    private final Catalog catalog;
    private final Drafts drafts;
    private final DraftRows rows;
    private final DraftViews views;
    private final Settlement settlement;
    private final MultiScopeRelease release;
    private final SecretService secrets;
    private final AuditLog audit;
    private final Transactions transactions;
    private final DatabaseClock databaseClock;
    private final Clock clock;

    Releases(
            Catalog catalog,
            Drafts drafts,
            DraftRows rows,
            DraftViews views,
            Settlement settlement,
            MultiScopeRelease release,
            SecretService secrets,
            AuditLog audit,
            Transactions transactions,
            DatabaseClock databaseClock,
            Clock clock) {
        this.catalog = catalog;
        this.drafts = drafts;
        this.rows = rows;
        this.views = views;
        this.settlement = settlement;
        this.release = release;
        this.secrets = secrets;
        this.audit = audit;
        this.transactions = transactions;
        this.databaseClock = databaseClock;
        this.clock = clock;
    }

    /** @param scheduled whether the answer is a schedule (202) rather than a release done (200) */
    record Answer(ChangeSetViews.DraftView view, boolean scheduled) {}

    Answer release(Caller caller, Actor actor, String projectSlug, String id, @Nullable String notBefore) {
        Access.requireProjectAdmin(caller, projectSlug);
        Project project = catalog.requireProject(projectSlug);
        Instant when = notBefore == null
                ? null
                : Rfc3339.instant(notBefore)
                        .orElseThrow(() -> new ApiException(
                                ErrorCode.INVALID_REQUEST,
                                "notBefore is an RFC 3339 date-time, such as 2026-12-24T06:00:00Z.",
                                "notBefore"));
        if (when != null && when.isAfter(LATEST_NOT_BEFORE)) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST, "notBefore is at the latest 9999-12-31T23:59:58Z.", "notBefore");
        }
        Draft draft = drafts.require(project, id);
        if (draft.state() == DraftState.RELEASING) {
            settlement.settle(draft);
            draft = drafts.require(project, id);
        }
        if (draft.state() == DraftState.RELEASED) {
            return new Answer(views.view(draft), false);
        }
        try {
            Drafts.requireOpen(draft, "released");
            List<DraftOperation> operations = transactions.executeRead(status -> rows.operations(id));
            if (operations.isEmpty()) {
                throw new ApiException(
                        ErrorCode.INVALID_REQUEST,
                        "Change-set draft " + id + " stages nothing yet; stage changes with ?changeSet=" + id
                                + " on the write routes first.");
            }
            requireReleasable(project, draft, operations);
        } catch (ApiException refused) {
            drafts.refuse(project, actor, draft.apiPath(), id, "change-set.release", refused.errorCode());
            throw refused;
        }
        if (when != null && when.isAfter(clock.instant())) {
            // Times are kept to the second: rounded up, "not before" still holds.
            Instant second = when.truncatedTo(ChronoUnit.SECONDS);
            return new Answer(
                    schedule(project, draft, actor, second.equals(when) ? when : second.plusSeconds(1)), true);
        }
        return new Answer(
                releaseNow(
                        project, draft, ReleaseRequest.of(actor), Set.of(DraftState.DRAFT, DraftState.SCHEDULED), null),
                false);
    }

    private ChangeSetViews.DraftView schedule(Project project, Draft draft, Actor actor, Instant when) {
        transactions.executeWrite(status -> {
            Draft locked = rows.findForUpdate(draft.id()).orElseThrow();
            Drafts.requireOpen(locked, "scheduled");
            if (locked.revision() != draft.revision()) {
                throw concurrentChange(draft);
            }
            rows.schedule(draft.id(), when, ReleaseRequest.of(actor), clock.instant());
            audit.record(AuditEntry.of(project.id(), actor, "change-set.schedule", draft.apiPath())
                    .changeSet(draft.id()));
            return null;
        });
        return views.view(drafts.require(project, draft.id()));
    }

    /**
     * Takes the draft, if it is still in one of {@code from} at the revision read (and due by
     * {@code dueBy}, for the job), and releases it.
     */
    ChangeSetViews.DraftView releaseNow(
            Project project, Draft draft, ReleaseRequest by, Collection<DraftState> from, @Nullable Instant dueBy) {
        String changeSetId = UUID.randomUUID().toString();
        boolean taken = transactions.executeWrite(
                // releasing_since on the database's clock: the lease is judged by other replicas.
                status -> rows.claim(draft.id(), from, draft.revision(), dueBy, changeSetId, by, databaseClock.now()));
        if (!taken) {
            Draft now = drafts.require(project, draft.id());
            if (now.state() == DraftState.RELEASED) {
                return views.view(now);
            }
            Drafts.requireOpen(now, "released");
            throw concurrentChange(draft);
        }
        Draft releasing = drafts.require(project, draft.id());
        Actor actor = releasing.releaser();
        MultiScopeRelease.Released released;
        try {
            List<StagedChange> changes =
                    views.changes(releasing, transactions.executeRead(status -> rows.operations(draft.id())));
            released = release.release(changeSetId, draft.id(), actor, changes, RestartMode.EVENTS);
        } catch (ApiException refused) {
            settleAfterFailure(releasing, refused.errorCode().code(), refused.getMessage());
            throw refused;
        } catch (RuntimeException failed) {
            settleAfterFailure(
                    releasing,
                    ErrorCode.INTERNAL.code(),
                    "The release failed (" + failed.getClass().getSimpleName() + ").");
            throw failed;
        }
        settlement.released(releasing, Settlement.restartOf(released.restarts()), Outcome.SUCCEEDED);
        return views.view(drafts.require(project, draft.id()));
    }

    /**
     * After a failed release: the change-set's own state says what happened. Refused before
     * anything was written (a conflict, a busy scope) or aborted: back to draft. Committed after
     * all (the answer was lost): released. Pending: the reconciler will settle it, and so will the
     * draft (the view or the job).
     */
    private void settleAfterFailure(Draft releasing, String code, String detail) {
        MultiScopeRelease.ReleaseState state;
        try {
            state = release.state(releasing.appliedChangeSet());
        } catch (RuntimeException unknown) {
            return;
        }
        switch (state) {
            case NONE, ABORTED -> settlement.failed(releasing, code, detail, Outcome.REFUSED);
            case COMMITTED -> settlement.settleCommitted(releasing, Outcome.COMPLETED_BY_RECONCILER);
            case PENDING -> {}
        }
    }

    /**
     * What a release checks before it takes the draft: its approvals, and that no delete staged
     * without {@code force} would now leave a deployment without a key it requires (checked at
     * staging too, but deployments and their requirements may have changed since).
     */
    void requireReleasable(Project project, Draft draft, List<DraftOperation> operations) {
        requireApprovals(project, draft, operations);
        for (DraftOperation operation : operations) {
            if (operation.delete() && !operation.forced()) {
                secrets.requireNoUnresolvedRequirement(operation.scope(), operation.key());
            }
        }
    }

    /** The approvals a release needs, at the current revision; 409 naming the rule and counts otherwise. */
    private void requireApprovals(Project project, Draft draft, List<DraftOperation> operations) {
        List<ApprovalRule> reached = views.rules().reached(project, operations);
        ChangeSetViews.ApprovalSummary summary =
                DraftViews.summary(draft, reached, transactions.executeRead(status -> rows.approvals(draft.id())));
        if (!summary.satisfied()) {
            throw new ApiException(
                    ErrorCode.APPROVAL_REQUIRED,
                    "Change-set draft " + draft.id() + " needs " + summary.required()
                            + " approval(s) at revision " + draft.revision() + " and has " + summary.granted()
                            + ".",
                    null,
                    Map.of("required", summary.required(), "granted", summary.granted(), "rule", summary.rule()));
        }
    }

    private static ApiException concurrentChange(Draft draft) {
        return new ApiException(
                ErrorCode.CONCURRENT_CHANGE,
                "Change-set draft " + draft.id() + " changed while this release was being decided; look at it again.");
    }
}
