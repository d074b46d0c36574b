package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * Change-set drafts for the console: the same {@link Drafts} and {@link Releases} calls as the
 * routes of {@link ChangeSetController}, with the caller's role checked there, answered as public
 * values a page can show. Names, scopes, versions and counts: never a value.
 */
@Singleton
public class ChangeSetDesk {

    private final Drafts drafts;
    private final Releases releases;

    ChangeSetDesk(Drafts drafts, Releases releases) {
        this.drafts = drafts;
        this.releases = releases;
    }

    public record Summary(
            String id,
            String description,
            String state,
            String author,
            int revision,
            int operations,
            Instant updatedAt) {}

    /** @param scope the scope's API path */
    public record Operation(String scope, String key, String operation, int reviewedVersion) {}

    public record Rule(String environmentType, int approvals, boolean authorMayApprove) {}

    public record Approvals(int required, int granted, boolean satisfied, List<Rule> rule) {}

    /** @param current whether it approved the current revision, so counts */
    public record Given(String by, int revision, Instant at, boolean current) {}

    public record Deployment(String environment, String service, List<String> keys) {}

    public record Conflict(String scope, String key, int reviewedVersion, int currentVersion) {}

    public record Impact(Instant computedAt, List<Deployment> deployments, List<Conflict> conflicts) {}

    public record Failure(String code, String detail, Instant at) {}

    /**
     * A draft as its page shows it.
     *
     * @param impact    while it is open: computed now, against the acknowledged state
     * @param restarted once released: the deployments its restart events named
     * @param mayApprove whether the caller is one the service would let approve: a project admin
     *                  who is not its author, or its author where every rule it reaches allows that
     */
    public record Draft(
            String id,
            String description,
            String state,
            String author,
            int revision,
            @Nullable Instant notBefore,
            @Nullable String changeSetId,
            @Nullable Failure lastReleaseFailure,
            List<Operation> operations,
            List<Given> approvals,
            Approvals approval,
            @Nullable Impact impact,
            List<Deployment> restarted,
            boolean open,
            boolean mayApprove) {}

    public List<Summary> list(Caller caller, String project) {
        return drafts.list(caller, project, null).changeSets().stream()
                .map(d -> new Summary(
                        d.id(),
                        d.description(),
                        d.state(),
                        name(d.author()),
                        d.revision(),
                        d.operations(),
                        d.updatedAt()))
                .toList();
    }

    public Draft show(Caller caller, String project, String id) {
        return page(caller, drafts.show(caller, project, id));
    }

    /** Opens a draft; answers its id. */
    public String create(Caller caller, Actor actor, String project, @Nullable String description) {
        return drafts.create(caller, actor, project, description).id();
    }

    /** Approves the revision the approver was shown; another revision is a conflict, not an approval. */
    public Draft approve(Caller caller, Actor actor, String project, String id, @Nullable Integer revision) {
        return page(caller, drafts.approve(caller, actor, project, id, revision));
    }

    public Draft reject(Caller caller, Actor actor, String project, String id) {
        return page(caller, drafts.reject(caller, actor, project, id));
    }

    public Draft discard(Caller caller, Actor actor, String project, String id) {
        return page(caller, drafts.discard(caller, actor, project, id));
    }

    /** @param notBefore RFC 3339; null or past: now */
    public Draft release(Caller caller, Actor actor, String project, String id, @Nullable String notBefore) {
        return page(
                caller, releases.release(caller, actor, project, id, notBefore).view());
    }

    private static Draft page(Caller caller, ChangeSetViews.DraftView view) {
        boolean open = view.state().equals(DraftState.DRAFT.wireName())
                || view.state().equals(DraftState.SCHEDULED.wireName());
        List<Rule> rules = view.approval().rule().stream()
                .map(r -> new Rule(r.environmentType(), r.approvals(), r.authorMayApprove()))
                .toList();
        ChangeSetViews.Impact impact = view.impact();
        return new Draft(
                view.id(),
                view.description(),
                view.state(),
                name(view.author()),
                view.revision(),
                view.notBefore(),
                view.changeSetId(),
                view.lastReleaseFailure() == null
                        ? null
                        : new Failure(
                                view.lastReleaseFailure().code(),
                                view.lastReleaseFailure().detail(),
                                view.lastReleaseFailure().at()),
                view.operations().stream()
                        .map(o -> new Operation(o.scope(), o.key(), o.operation(), o.reviewedVersion()))
                        .toList(),
                view.approvals().stream()
                        .map(a -> new Given(name(a.by()), a.revision(), a.at(), a.current()))
                        .toList(),
                new Approvals(
                        view.approval().required(),
                        view.approval().granted(),
                        view.approval().satisfied(),
                        rules),
                impact == null
                        ? null
                        : new Impact(
                                impact.computedAt(),
                                deployments(impact.deployments()),
                                impact.conflicts().stream()
                                        .map(c -> new Conflict(
                                                c.scope(), c.key(), c.reviewedVersion(), c.currentVersion()))
                                        .toList()),
                view.restart() == null ? List.of() : deployments(view.restart().deployments()),
                open,
                open && mayApprove(caller, view.author(), rules));
    }

    /** As {@link Drafts#approve} decides; the service still decides, this only hides a button. */
    private static boolean mayApprove(Caller caller, ChangeSetViews.Person author, List<Rule> rules) {
        if (caller.role() != Caller.Role.ADMIN && caller.role() != Caller.Role.PROJECT_ADMIN) {
            return false;
        }
        boolean isAuthor = author.accessor().equals(caller.accessor())
                || (author.displayName() != null && author.displayName().equals(caller.displayName()));
        return !isAuthor || (!rules.isEmpty() && rules.stream().allMatch(Rule::authorMayApprove));
    }

    private static List<Deployment> deployments(List<ChangeSetViews.DeploymentKeys> keys) {
        return keys.stream()
                .map(d -> new Deployment(d.environment(), d.service(), d.keys()))
                .toList();
    }

    private static String name(ChangeSetViews.Person person) {
        return person.displayName() != null ? person.displayName() : person.accessor();
    }
}
