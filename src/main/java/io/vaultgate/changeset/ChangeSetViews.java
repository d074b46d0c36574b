package io.vaultgate.changeset;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** What the change-set draft API answers. Names, scopes, versions and counts: never a value. */
final class ChangeSetViews {

    private ChangeSetViews() {}

    /** Who opened a draft (or approved it): the token's accessor and display name. */
    record Person(String accessor, @Nullable String displayName) {}

    /**
     * One staged operation.
     *
     * @param scope           the scope's API path
     * @param operation       {@code set} or {@code delete}
     * @param reviewedVersion the key's version when it was staged (0: absent); a release finding
     *                        another answers {@code change-set-conflict}
     */
    record OperationView(
            String scope,
            String scopeKind,
            String key,
            @Schema(allowableValues = {"set", "delete"}) String operation,
            int reviewedVersion,
            int stagedRevision) {}

    /** @param current whether it approved the draft's current revision, so counts */
    record ApprovalView(Person by, int revision, Instant at, boolean current) {}

    record RuleView(String environmentType, int approvals, boolean authorMayApprove) {}

    /**
     * The approvals a release needs: the most any environment type the operations reach asks for.
     *
     * @param granted approvals of distinct people at the current revision
     * @param rule    the rule of each environment type the operations reach
     */
    record ApprovalSummary(int required, int granted, boolean satisfied, List<RuleView> rule) {}

    /** A deployment whose resolved value of these keys would change (or did). */
    record DeploymentKeys(String environment, String service, List<String> keys) {}

    /** A staged key whose live version is no longer the one reviewed. */
    record Conflict(String scope, String key, int reviewedVersion, int currentVersion) {}

    /** What releasing now would do, computed against the acknowledged state at {@code computedAt}. */
    record Impact(Instant computedAt, List<DeploymentKeys> deployments, List<Conflict> conflicts) {}

    record Failure(String code, String detail, Instant at) {}

    /** The restart events a release emitted: one per deployment, naming its changed keys. */
    record Restart(int events, List<DeploymentKeys> deployments) {}

    /**
     * A change-set draft.
     *
     * @param changeSetId        the applied change-set, once a release began
     * @param impact             while the draft is open and stages something; absent otherwise
     * @param restart            once released; absent before
     * @param lastReleaseFailure why the last release did not happen; absent when none failed
     */
    record DraftView(
            String id,
            String project,
            String description,

            @Schema(allowableValues = {"draft", "scheduled", "releasing", "released", "rejected", "discarded"})
            String state,

            Person author,
            int revision,
            Instant createdAt,
            Instant updatedAt,
            @Nullable Instant notBefore,
            @Nullable Instant releasedAt,
            @Nullable String changeSetId,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Failure lastReleaseFailure,

            List<OperationView> operations,
            List<ApprovalView> approvals,
            ApprovalSummary approval,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Impact impact,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Restart restart) {}

    record DraftSummary(
            String id,
            String description,

            @Schema(allowableValues = {"draft", "scheduled", "releasing", "released", "rejected", "discarded"})
            String state,

            Person author,
            int revision,
            int operations,
            Instant createdAt,
            Instant updatedAt) {}

    record DraftList(List<DraftSummary> changeSets) {}

    record Rules(String project, List<RuleView> rules) {}
}
