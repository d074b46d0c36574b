package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Environment;
import io.vaultgate.project.Project;
import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Scope;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Approval rules per environment type, and what a draft needs by them: the most approvals any
 * environment type its operations reach asks for. Project and service scope reach every type
 * that has an environment in the project; an environment-type scope reaches that type; an
 * environment or a service in it reaches that environment's type. Only a gateway admin sets a
 * rule: a project admin lowering their own project's rule would void it.
 */
@Singleton
class ApprovalRules {

    /** More approvals than anyone would configure is a typo, refused rather than a draft no one can release. */
    static final int MAX_APPROVALS = 10;

    private final Catalog catalog;
    private final DraftRows rows;
    private final AuditLog audit;
    private final Transactions transactions;
    private final Clock clock;

    ApprovalRules(Catalog catalog, DraftRows rows, AuditLog audit, Transactions transactions, Clock clock) {
        this.catalog = catalog;
        this.rows = rows;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    ChangeSetViews.Rules get(Caller caller, String projectSlug) {
        Access.requireProjectReader(caller, projectSlug);
        Project project = catalog.requireProject(projectSlug);
        return view(project, transactions.executeRead(status -> rows.rules(project.id())));
    }

    ChangeSetViews.Rules put(
            Caller caller,
            Actor actor,
            String projectSlug,
            String typeName,
            @Nullable Integer approvals,
            boolean authorMayApprove) {
        Access.requireProjectReader(caller, projectSlug);
        Access.requireAdmin(caller);
        Project project = catalog.requireProject(projectSlug);
        EnvironmentType type = EnvironmentType.parse("environmentType", typeName);
        if (approvals == null) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "Say how many approvals a draft reaching " + typeName + " needs: {\"approvals\": 0 to "
                            + MAX_APPROVALS + "}.",
                    "approvals");
        }
        if (approvals < 0 || approvals > MAX_APPROVALS) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "approvals is 0 to " + MAX_APPROVALS + "; got " + approvals + ".",
                    "approvals");
        }
        ApprovalRule rule = new ApprovalRule(type, approvals, authorMayApprove);
        return transactions.executeWrite(status -> {
            rows.putRule(project.id(), rule, actor.accessor(), clock.instant());
            audit.record(AuditEntry.of(
                    project.id(),
                    actor,
                    "approval-rule.set",
                    "/v1/projects/" + project.slug() + "/approval-rules/" + type.wireName()));
            return view(project, rows.rules(project.id()));
        });
    }

    /** The rules of the environment types these operations reach, in the types' order. */
    List<ApprovalRule> reached(Project project, List<DraftOperation> operations) {
        Map<String, EnvironmentType> typeOf = new HashMap<>();
        for (Environment environment : catalog.environmentsOf(project)) {
            typeOf.put(environment.slug(), environment.environmentType());
        }
        Set<EnvironmentType> types = EnumSet.noneOf(EnvironmentType.class);
        for (DraftOperation operation : operations) {
            Scope scope = operation.scope();
            switch (scope.kind()) {
                case PROJECT, SERVICE -> types.addAll(typeOf.values());
                case ENVIRONMENT_TYPE -> types.add(scope.environmentType());
                case ENVIRONMENT, SERVICE_IN_ENVIRONMENT -> {
                    EnvironmentType type = typeOf.get(scope.environment());
                    if (type != null) {
                        types.add(type);
                    }
                }
            }
        }
        Map<EnvironmentType, ApprovalRule> rules = transactions.executeRead(status -> rows.rules(project.id()));
        return types.stream().map(rules::get).toList();
    }

    static int required(List<ApprovalRule> reached) {
        return reached.stream().mapToInt(ApprovalRule::approvals).max().orElse(0);
    }

    /** The author may approve only when every rule the draft reaches says so. */
    static boolean authorMayApprove(List<ApprovalRule> reached) {
        return !reached.isEmpty() && reached.stream().allMatch(ApprovalRule::authorMayApprove);
    }

    private static ChangeSetViews.Rules view(Project project, Map<EnvironmentType, ApprovalRule> rules) {
        return new ChangeSetViews.Rules(
                project.slug(),
                rules.values().stream().map(ApprovalRules::ruleView).toList());
    }

    static ChangeSetViews.RuleView ruleView(ApprovalRule rule) {
        return new ChangeSetViews.RuleView(
                rule.environmentType().wireName(), rule.approvals(), rule.authorMayApprove());
    }
}
