package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.audit.Outcome;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.secret.MultiScopeRelease;
import io.vaultgate.values.EntryPath;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.WireNames;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Opening, listing, showing, approving, rejecting and discarding change-set drafts. Creating,
 * rejecting and discarding take a project admin (or an admin); approving takes one who is not
 * the author, unless every rule the draft reaches lets the author approve. Every decision is
 * audited, refused approvals too.
 */
@Singleton
class Drafts {

    static final int MAX_DESCRIPTION = 1000;

    private final Catalog catalog;
    private final DraftRows rows;
    private final DraftViews views;
    private final DraftEntryCleanup cleanup;
    private final Settlement settlement;
    private final AuditLog audit;
    private final Transactions transactions;
    private final Clock clock;

    Drafts(
            Catalog catalog,
            DraftRows rows,
            DraftViews views,
            DraftEntryCleanup cleanup,
            Settlement settlement,
            AuditLog audit,
            Transactions transactions,
            Clock clock) {
        this.catalog = catalog;
        this.rows = rows;
        this.views = views;
        this.cleanup = cleanup;
        this.settlement = settlement;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    ChangeSetViews.DraftView create(Caller caller, Actor actor, String projectSlug, @Nullable String description) {
        Access.requireProjectAdmin(caller, projectSlug);
        Project project = catalog.requireProject(projectSlug);
        String text = description == null ? "" : description;
        if (text.length() > MAX_DESCRIPTION || text.indexOf('\0') >= 0) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "A description is text of at most " + MAX_DESCRIPTION + " characters, without NUL.",
                    "description");
        }
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        transactions.executeWrite(status -> {
            rows.insert(id, project.id(), text, actor.accessor(), actor.displayName(), now);
            audit.record(AuditEntry.of(
                            project.id(), actor, "change-set.create", MultiScopeRelease.draftPath(project.slug(), id))
                    .changeSet(id));
            return null;
        });
        return views.view(require(project, id));
    }

    ChangeSetViews.DraftList list(Caller caller, String projectSlug, @Nullable String state) {
        Access.requireProjectReader(caller, projectSlug);
        Project project = catalog.requireProject(projectSlug);
        Collection<DraftState> states = state == null
                ? DraftState.OPEN
                : Set.of(WireNames.parse(DraftState.class, state)
                        .orElseThrow(() -> new ApiException(
                                ErrorCode.INVALID_REQUEST,
                                "state is draft, scheduled, releasing, released, rejected or discarded.",
                                "state")));
        return transactions.executeRead(status -> {
            List<Draft> drafts = rows.list(project.id(), states);
            Map<String, Integer> counts =
                    rows.operationCounts(drafts.stream().map(Draft::id).toList());
            return new ChangeSetViews.DraftList(drafts.stream()
                    .map(d -> new ChangeSetViews.DraftSummary(
                            d.id(),
                            d.description(),
                            d.state().wireName(),
                            new ChangeSetViews.Person(d.authorAccessor(), d.authorName()),
                            d.revision(),
                            counts.getOrDefault(d.id(), 0),
                            d.createdAt(),
                            d.updatedAt()))
                    .toList());
        });
    }

    ChangeSetViews.DraftView show(Caller caller, String projectSlug, String id) {
        Access.requireProjectReader(caller, projectSlug);
        Project project = catalog.requireProject(projectSlug);
        Draft draft = require(project, id);
        if (draft.state() == DraftState.RELEASING) {
            settlement.settle(draft);
            draft = require(project, id);
        }
        return views.view(draft);
    }

    /**
     * Records an approval of the revision the approver reviewed ({@code revision}; null: the
     * current one). Whether the author may approve is decided in the transaction that holds the
     * draft's row and records the approval, from the operations of that same revision.
     */
    ChangeSetViews.DraftView approve(
            Caller caller, Actor actor, String projectSlug, String id, @Nullable Integer revision) {
        Access.requireProjectReader(caller, projectSlug);
        Project project = catalog.requireProject(projectSlug);
        Draft draft = require(project, id);
        String path = draft.apiPath();
        try {
            if (caller.role() != Caller.Role.ADMIN && caller.role() != Caller.Role.PROJECT_ADMIN) {
                throw new ApiException(
                        ErrorCode.APPROVAL_NOT_ALLOWED, "Approving a change-set draft needs a project admin token.");
            }
            if (revision != null && revision < 1) {
                throw new ApiException(
                        ErrorCode.INVALID_REQUEST, "revision is a draft revision, 1 or more.", "revision");
            }
            transactions.executeWrite(status -> {
                Draft locked = rows.findForUpdate(id).orElseThrow();
                requireOpen(locked, "approved");
                if (revision != null && revision != locked.revision()) {
                    throw new ApiException(
                            ErrorCode.CONCURRENT_CHANGE,
                            "Change-set draft " + id + " is at revision " + locked.revision() + ", not the revision "
                                    + revision + " approved; review it again.",
                            "revision",
                            Map.of("revision", locked.revision()));
                }
                if (isAuthor(locked, caller.accessor(), caller.displayName())
                        && !ApprovalRules.authorMayApprove(views.rules().reached(project, rows.operations(id)))) {
                    throw new ApiException(
                            ErrorCode.APPROVAL_NOT_ALLOWED,
                            "The author of a change-set draft may not approve it (same token, or same display name '"
                                    + caller.displayName() + "').");
                }
                rows.insertApproval(
                        id, new Approval(locked.revision(), caller.accessor(), caller.displayName(), clock.instant()));
                audit.record(AuditEntry.of(project.id(), actor, "change-set.approve", path)
                        .changeSet(id));
                return null;
            });
        } catch (ApiException refused) {
            refuse(project, actor, path, id, "change-set.approve", refused.errorCode());
            throw refused;
        }
        return views.view(require(project, id));
    }

    /** The same token, or the same display name: one person. */
    static boolean isAuthor(Draft draft, String accessor, @Nullable String displayName) {
        return draft.authorAccessor().equals(accessor)
                || (draft.authorName() != null && draft.authorName().equals(displayName));
    }

    ChangeSetViews.DraftView reject(Caller caller, Actor actor, String projectSlug, String id) {
        return close(caller, actor, projectSlug, id, DraftState.REJECTED, "change-set.reject");
    }

    ChangeSetViews.DraftView discard(Caller caller, Actor actor, String projectSlug, String id) {
        return close(caller, actor, projectSlug, id, DraftState.DISCARDED, "change-set.discard");
    }

    private ChangeSetViews.DraftView close(
            Caller caller, Actor actor, String projectSlug, String id, DraftState to, String action) {
        Access.requireProjectAdmin(caller, projectSlug);
        Project project = catalog.requireProject(projectSlug);
        Draft draft = require(project, id);
        try {
            transactions.executeWrite(status -> {
                Draft locked = rows.findForUpdate(id).orElseThrow();
                requireOpen(locked, to == DraftState.REJECTED ? "rejected" : "discarded");
                rows.close(id, to, clock.instant());
                audit.record(AuditEntry.of(project.id(), actor, action, draft.apiPath())
                        .changeSet(id));
                return null;
            });
        } catch (ApiException refused) {
            refuse(project, actor, draft.apiPath(), id, action, refused.errorCode());
            throw refused;
        }
        cleanup.delete(project.slug(), id);
        return views.view(require(project, id));
    }

    /** Approving, releasing and staging need a draft still open to it; a releasing one is busy. */
    static void requireOpen(Draft draft, String what) {
        switch (draft.state()) {
            case DRAFT, SCHEDULED -> {}
            case RELEASING ->
                throw new ApiException(
                        ErrorCode.CHANGE_SET_BUSY,
                        "Change-set draft " + draft.id() + " is being released; it cannot be " + what + " now.");
            default ->
                throw new ApiException(
                        ErrorCode.CHANGE_SET_CLOSED,
                        "Change-set draft " + draft.id() + " is "
                                + draft.state().wireName() + "; it cannot be " + what + ".");
        }
    }

    Draft require(Project project, String id) {
        if (!EntryPath.isDraftId(id)) {
            throw notFound(id);
        }
        return transactions.executeRead(status -> rows.find(project.id(), id)).orElseThrow(() -> notFound(id));
    }

    static ApiException notFound(String id) {
        return new ApiException(
                ErrorCode.CHANGE_SET_NOT_FOUND,
                "There is no change-set draft '" + (id == null || id.length() > 40 ? "…" : id) + "' in this project.",
                "changeSet");
    }

    void refuse(Project project, Actor actor, String path, String id, String action, ErrorCode code) {
        transactions.executeWrite(status -> {
            audit.record(AuditEntry.of(project.id(), actor, action, path)
                    .changeSet(id)
                    .ended(Outcome.REFUSED, code));
            return null;
        });
    }

    static List<String> keysOf(List<DraftOperation> operations) {
        return new ArrayList<>(
                operations.stream().map(DraftOperation::key).collect(Collectors.toCollection(java.util.TreeSet::new)));
    }
}
