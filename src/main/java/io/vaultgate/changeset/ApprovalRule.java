package io.vaultgate.changeset;

import io.vaultgate.scope.EnvironmentType;

/**
 * What a release that reaches environments of a type needs: this many approvals, and whether the
 * draft's author may give one of them. The default, 0 approvals, is the behaviour without drafts.
 */
record ApprovalRule(EnvironmentType environmentType, int approvals, boolean authorMayApprove) {

    static ApprovalRule defaultFor(EnvironmentType type) {
        return new ApprovalRule(type, 0, false);
    }
}
