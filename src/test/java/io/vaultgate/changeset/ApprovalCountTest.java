package io.vaultgate.changeset;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.scope.EnvironmentType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How approvals add up: per person, at the current revision, against the strictest rule reached. */
class ApprovalCountTest {

    private static final Instant NOW = Instant.parse("2026-12-06T23:00:00Z");

    @Test
    void onlyApprovalsAtTheCurrentRevisionCount() {
        Draft draft = draftAt(3);
        List<Approval> approvals =
                List.of(new Approval(2, "acc-bob", "token-bob", NOW), new Approval(3, "acc-carol", "token-carol", NOW));

        assertThat(DraftViews.granted(draft, false, approvals)).isEqualTo(1);
    }

    @Test
    void twoTokensUnderOneNameAreOneApprover() {
        Draft draft = draftAt(1);
        List<Approval> approvals =
                List.of(new Approval(1, "acc-bob-1", "token-bob", NOW), new Approval(1, "acc-bob-2", "token-bob", NOW));

        assertThat(DraftViews.granted(draft, false, approvals)).isEqualTo(1);
    }

    @Test
    void theAuthorsApprovalCountsOnlyWhileEveryRuleReachedNowLetsTheAuthorApprove() {
        Draft draft = draftAt(2);
        List<Approval> approvals = List.of(
                new Approval(2, "acc-alice", "token-alice", NOW),
                new Approval(2, "acc-alice-2", "token-alice", NOW),
                new Approval(2, "acc-bob", "token-bob", NOW));
        List<ApprovalRule> stagingOnly = List.of(new ApprovalRule(EnvironmentType.STAGING, 2, true));
        List<ApprovalRule> productionToo = List.of(
                new ApprovalRule(EnvironmentType.STAGING, 2, true),
                new ApprovalRule(EnvironmentType.PRODUCTION, 2, false));

        assertThat(DraftViews.summary(draft, stagingOnly, approvals).granted()).isEqualTo(2);
        assertThat(DraftViews.summary(draft, productionToo, approvals).granted())
                .isEqualTo(1);
        assertThat(DraftViews.summary(draft, productionToo, approvals).satisfied())
                .isFalse();
    }

    @Test
    void aDraftNeedsTheMostApprovalsAnyTypeItReachesAsksFor() {
        List<ApprovalRule> reached = List.of(
                new ApprovalRule(EnvironmentType.PRODUCTION, 2, false),
                new ApprovalRule(EnvironmentType.STAGING, 1, true));

        assertThat(ApprovalRules.required(reached)).isEqualTo(2);
        assertThat(ApprovalRules.authorMayApprove(reached)).isFalse();
        assertThat(ApprovalRules.required(List.of())).isZero();
        assertThat(ApprovalRules.authorMayApprove(List.of())).isFalse();
        assertThat(DraftViews.summary(draftAt(1), reached, List.of()).satisfied())
                .isFalse();
    }

    private static Draft draftAt(int revision) {
        return new Draft(
                "00000000-0000-0000-0000-000000000001",
                1L,
                "acme",
                "",
                DraftState.DRAFT,
                revision,
                revision,
                "acc-alice",
                "token-alice",
                NOW,
                NOW,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
