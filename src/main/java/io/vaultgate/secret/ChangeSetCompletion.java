package io.vaultgate.secret;

import io.vaultgate.audit.Outcome;
import io.vaultgate.project.Project;
import io.vaultgate.restart.NewEvent;
import io.vaultgate.web.RestartMode;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Completing a change-set the value store holds, by its writer or by the reconciler alike: the
 * metadata follows, with the restart events it owes unless it was written with
 * {@code ?restart=none}. One home, so a reconciled write owes exactly what its writer would have
 * recorded.
 */
@Singleton
class ChangeSetCompletion {

    private final ChangeLedger ledger;
    private final ImpactAnalysis impact;

    ChangeSetCompletion(ChangeLedger ledger, ImpactAnalysis impact) {
        this.ledger = ledger;
        this.impact = impact;
    }

    /**
     * @param keys the change-set's {@code change_set_key} rows (its writer has them in memory)
     * @throws ChangeLedger.IntentTakenOver when another settler aborted it meanwhile
     */
    ChangeLedger.Committed complete(
            Project project, ChangeSet changeSet, List<ChangeSetKey> keys, ValueChange change, Outcome outcome) {
        return ledger.commit(
                changeSet.id(),
                keys,
                change.version(),
                outcome,
                change.scope(),
                change.unchanged(),
                () -> restarts(project, change, changeSet.id(), changeSet.restartMode(), changeSet.actor()));
    }

    /**
     * The restart events a change owes; none with {@code ?restart=none}.
     *
     * @param changeSetId null for a dry run
     */
    List<NewEvent> restarts(Project project, ValueChange change, String changeSetId, RestartMode mode, String actor) {
        return mode == RestartMode.NONE ? List.of() : impact.eventsFor(project, change, changeSetId, actor);
    }
}
