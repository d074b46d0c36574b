package io.vaultgate.changeset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.scope.Scope;
import io.vaultgate.secret.MultiScopeRelease;
import io.vaultgate.secret.SecretMetadata;
import io.vaultgate.secret.StagedChange;
import io.vaultgate.values.SecretValue;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A draft as the API shows it: its operations (never values), approvals and what they add up to
 * at the current revision, and, while it is open, its impact and conflicts computed now against
 * the acknowledged state (the staged values are compared inside the gateway only).
 */
@Singleton
class DraftViews {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Catalog catalog;
    private final DraftRows rows;
    private final DraftValues values;
    private final ApprovalRules rules;
    private final MultiScopeRelease release;
    private final SecretMetadata metadata;
    private final Transactions transactions;
    private final Clock clock;

    DraftViews(
            Catalog catalog,
            DraftRows rows,
            DraftValues values,
            ApprovalRules rules,
            MultiScopeRelease release,
            SecretMetadata metadata,
            Transactions transactions,
            Clock clock) {
        this.catalog = catalog;
        this.rows = rows;
        this.values = values;
        this.rules = rules;
        this.release = release;
        this.metadata = metadata;
        this.transactions = transactions;
        this.clock = clock;
    }

    ApprovalRules rules() {
        return rules;
    }

    ChangeSetViews.DraftView view(Draft draft) {
        Project project = catalog.requireProjectById(draft.projectId());
        List<DraftOperation> operations = transactions.executeRead(status -> rows.operations(draft.id()));
        List<Approval> approvals = transactions.executeRead(status -> rows.approvals(draft.id()));
        boolean open = draft.state() == DraftState.DRAFT || draft.state() == DraftState.SCHEDULED;
        return new ChangeSetViews.DraftView(
                draft.id(),
                project.slug(),
                draft.description(),
                draft.state().wireName(),
                new ChangeSetViews.Person(draft.authorAccessor(), draft.authorName()),
                draft.revision(),
                draft.createdAt(),
                draft.updatedAt(),
                draft.notBefore(),
                draft.releasedAt(),
                draft.appliedChangeSet(),
                draft.failureCode() == null
                        ? null
                        : new ChangeSetViews.Failure(draft.failureCode(), draft.failureDetail(), draft.failureAt()),
                operations.stream()
                        .map(o -> new ChangeSetViews.OperationView(
                                o.scope().apiPath(),
                                o.scope().kind().wireName(),
                                o.key(),
                                o.operation(),
                                o.reviewedVersion(),
                                o.stagedRevision()))
                        .toList(),
                approvals.stream()
                        .map(a -> new ChangeSetViews.ApprovalView(
                                new ChangeSetViews.Person(a.accessor(), a.displayName()),
                                a.revision(),
                                a.approvedAt(),
                                a.revision() == draft.revision()))
                        .toList(),
                summary(draft, rules.reached(project, operations), approvals),
                open && !operations.isEmpty() ? impact(draft, operations) : null,
                restart(draft.releaseRestarts()));
    }

    static ChangeSetViews.ApprovalSummary summary(Draft draft, List<ApprovalRule> reached, List<Approval> approvals) {
        int required = ApprovalRules.required(reached);
        int granted = granted(draft, ApprovalRules.authorMayApprove(reached), approvals);
        return new ChangeSetViews.ApprovalSummary(
                required,
                granted,
                granted >= required,
                reached.stream().map(ApprovalRules::ruleView).toList());
    }

    /**
     * Distinct people who approved the current revision: one display name is one person. The
     * author's own approval counts only while every rule the draft reaches now lets the author
     * approve (what it reaches can change at one revision: an environment added to the project).
     */
    static int granted(Draft draft, boolean authorMayApprove, List<Approval> approvals) {
        Set<String> people = new HashSet<>();
        Set<String> accessors = new HashSet<>();
        for (Approval approval : approvals) {
            if (approval.revision() == draft.revision()
                    && (authorMayApprove || !Drafts.isAuthor(draft, approval.accessor(), approval.displayName()))
                    && !people.contains(approval.approver())
                    && accessors.add(approval.accessor())) {
                people.add(approval.approver());
            }
        }
        return people.size();
    }

    ChangeSetViews.Impact impact(Draft draft, List<DraftOperation> operations) {
        List<StagedChange> changes = changes(draft, operations);
        List<MultiScopeRelease.AffectedDeployment> affected = release.impact(draft.project(), changes);
        return new ChangeSetViews.Impact(
                clock.instant(),
                affected.stream()
                        .map(a ->
                                new ChangeSetViews.DeploymentKeys(a.environment(), a.service(), List.copyOf(a.keys())))
                        .toList(),
                conflicts(operations));
    }

    /** The staged changes with their values, read from the draft entry's version of this revision. */
    List<StagedChange> changes(Draft draft, List<DraftOperation> operations) {
        Map<String, SecretValue> staged = values.read(draft.project(), draft.id(), draft.vaultVersion());
        List<StagedChange> changes = new ArrayList<>();
        for (DraftOperation operation : operations) {
            SecretValue value = null;
            if (!operation.delete()) {
                value = staged.get(operation.field());
                if (value == null) {
                    throw new IllegalStateException("change-set draft " + draft.id() + " has no staged value for "
                            + operation.key() + " at " + operation.entryPath());
                }
            }
            changes.add(new StagedChange(operation.scope(), operation.key(), value, operation.reviewedVersion()));
        }
        return changes;
    }

    /** Every staged key whose live version is not the one reviewed. */
    List<ChangeSetViews.Conflict> conflicts(List<DraftOperation> operations) {
        Map<Scope, List<DraftOperation>> byScope = new LinkedHashMap<>();
        operations.forEach(
                o -> byScope.computeIfAbsent(o.scope(), s -> new ArrayList<>()).add(o));
        List<ChangeSetViews.Conflict> conflicts = new ArrayList<>();
        byScope.forEach((scope, staged) -> {
            Map<String, Integer> live = metadata.liveVersions(
                    scope, staged.stream().map(DraftOperation::key).toList());
            for (DraftOperation operation : staged) {
                int current = live.getOrDefault(operation.key(), 0);
                if (current != operation.reviewedVersion()) {
                    conflicts.add(new ChangeSetViews.Conflict(
                            scope.apiPath(), operation.key(), operation.reviewedVersion(), current));
                }
            }
        });
        return conflicts;
    }

    static String restartJson(ChangeSetViews.Restart restart) {
        try {
            return JSON.writeValueAsString(restart);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Nullable
    private static ChangeSetViews.Restart restart(@Nullable String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, ChangeSetViews.Restart.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable restarts of a released draft", e);
        }
    }
}
