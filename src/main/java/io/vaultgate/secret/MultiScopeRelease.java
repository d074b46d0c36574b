package io.vaultgate.secret;

import io.vaultgate.access.Actor;
import io.vaultgate.web.RestartMode;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.SortedSet;

/**
 * The write protocol across several scope entries of one project: every change of a release as ONE
 * change-set, all or nothing across scopes.
 */
@Singleton
public class MultiScopeRelease {

    /**
     * Applies every change as ONE change_set (all or nothing across scopes) with id {@code
     * changeSetId} chosen by the caller (UUID), so the caller can record it first. Idempotent on
     * changeSetId: a second call with the same id answers the first outcome. Throws ApiException
     * CHANGE_SET_CONFLICT (409, details.conflicts = every key whose live version != expectedVersion)
     * before anything is written; SCOPE_BUSY like a write.
     */
    public Released release(
            String changeSetId, String draftId, Actor actor, List<StagedChange> changes, RestartMode restart) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * What the changes would do now (keys per deployment whose resolved value changes), against
     * acknowledged state, without writing or auditing: the review-time impact.
     */
    public List<AffectedDeployment> impact(String project, List<StagedChange> changes) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The applied change_set's state: NONE (never begun), PENDING, COMMITTED, ABORTED. */
    public ReleaseState state(String changeSetId) {
        throw new UnsupportedOperationException("not yet");
    }

    public record Released(
            String changeSetId, List<KeyResult> keys, List<AffectedDeployment> restarts, boolean replayed) {}

    public record KeyResult(String scope /*apiPath*/, String key, String operation, int version) {}

    public record AffectedDeployment(String environment, String service, SortedSet<String> keys) {}

    public enum ReleaseState {
        NONE,
        PENDING,
        COMMITTED,
        ABORTED
    }
}
