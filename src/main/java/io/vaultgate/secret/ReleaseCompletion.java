package io.vaultgate.secret;

import io.vaultgate.audit.Outcome;
import io.vaultgate.project.Project;
import io.vaultgate.restart.NewEvent;
import io.vaultgate.web.RestartMode;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Completing a release the value store holds at every one of its scopes, by its writer or by the
 * reconciler alike, so a reconciled release owes exactly the restart events its writer would have
 * recorded: one per deployment, worked out over all its scopes at once.
 */
@Singleton
class ReleaseCompletion {

    private final ReleaseLedger releases;
    private final ImpactAnalysis impact;

    ReleaseCompletion(ReleaseLedger releases, ImpactAnalysis impact) {
        this.releases = releases;
        this.impact = impact;
    }

    /**
     * @param changes what the release did at each scope, by scope entry id
     * @throws ChangeLedger.IntentTakenOver when another settler aborted it meanwhile
     */
    ReleaseLedger.Committed complete(
            Project project, ChangeSet changeSet, Map<Long, ValueChange> changes, Outcome outcome) {
        Map<Long, Integer> written = new HashMap<>();
        Map<Long, Set<String>> unchanged = new HashMap<>();
        changes.forEach((entryId, change) -> {
            written.put(entryId, change.version());
            unchanged.put(entryId, change.unchanged());
        });
        return releases.commit(
                changeSet.id(),
                written,
                unchanged,
                outcome,
                () -> restarts(
                        project,
                        List.copyOf(changes.values()),
                        changeSet.id(),
                        changeSet.restartMode(),
                        changeSet.actor()));
    }

    /** The events the changes owe together; none with {@code restart=none}. */
    List<NewEvent> restarts(
            Project project, List<ValueChange> changes, String changeSetId, RestartMode mode, String actor) {
        return mode == RestartMode.NONE ? List.of() : impact.eventsFor(project, changes, changeSetId, actor);
    }
}
