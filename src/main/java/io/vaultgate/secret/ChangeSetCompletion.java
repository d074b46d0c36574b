package io.vaultgate.secret;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.vaultgate.audit.Outcome;
import io.vaultgate.project.Project;
import io.vaultgate.restart.NewEvent;
import io.vaultgate.web.RestartMode;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completing a change-set the value store holds, by its writer or by the reconciler alike: the
 * metadata follows, with the restart events it owes unless it was written with
 * {@code ?restart=none}. One home, so a reconciled write owes exactly what its writer would have
 * recorded.
 */
@Singleton
class ChangeSetCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeSetCompletion.class);

    private final ChangeLedger ledger;
    private final ImpactAnalysis impact;
    /** At most {@code restartThreads} writes' restarts worked out here; past that, on the writer's thread. */
    private final ExecutorService workers;

    private final Counter workedOutAhead;
    private final Counter workedOutAtCommit;

    ChangeSetCompletion(ChangeLedger ledger, ImpactAnalysis impact, WriteProperties writes, MeterRegistry meters) {
        this.ledger = ledger;
        this.impact = impact;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(
                0,
                writes.restartThreads(),
                60,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "restart-impact-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                // All busy, or shut down: the writer works them out itself, never a future left
                // uncompleted (CallerRunsPolicy drops the task once the pool is shut down).
                (task, pool) -> task.run());
        this.workedOutAhead = workedOut(meters, "ahead");
        this.workedOutAtCommit = workedOut(meters, "at-commit");
    }

    private static Counter workedOut(MeterRegistry meters, String when) {
        return Counter.builder("vaultgate.writes.restarts.worked-out")
                .description("Writes whose restart events were worked out ahead of their commit, while the"
                        + " value store wrote them (ahead), or at it: settled by the reconciler, writing no"
                        + " value, or worked out again as the project committed meanwhile (at-commit)")
                .tag("when", when)
                .register(meters);
    }

    @PreDestroy
    void close() {
        workers.shutdownNow();
    }

    /**
     * Starts working out the restart events {@code planned} owes, to run while the value store
     * writes it: they depend on its values before and after, not on the version it gets. Read
     * only; a commit that finds the project committed meanwhile works them out again.
     *
     * @return the events and their basis, or null when the change-set is written with
     *     {@code ?restart=none}
     */
    CompletableFuture<ChangeLedger.WorkedOut> workOutWhileWriting(
            Project project, ChangeSet changeSet, ValueChange planned) {
        if (changeSet.restartMode() == RestartMode.NONE) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    ChangeLedger.WorkedOut workedOut = ledger.workOut(
                            project.id(),
                            () -> restarts(
                                    project, planned, changeSet.id(), changeSet.restartMode(), changeSet.actor()));
                    workedOutAhead.increment();
                    return workedOut;
                },
                workers);
    }

    /**
     * @param keys the change-set's {@code change_set_key} rows (its writer has them in memory)
     * @throws ChangeLedger.IntentTakenOver when another settler aborted it meanwhile
     */
    ChangeLedger.Committed complete(
            Project project, ChangeSet changeSet, List<ChangeSetKey> keys, ValueChange change, Outcome outcome) {
        return complete(project, changeSet, keys, change, outcome, null);
    }

    /**
     * @param ahead the restart events {@link #workOutWhileWriting} started on the same values; if
     *              it failed, they are worked out again here, failing as they would have
     * @throws ChangeLedger.IntentTakenOver when another settler aborted it meanwhile
     */
    ChangeLedger.Committed complete(
            Project project,
            ChangeSet changeSet,
            List<ChangeSetKey> keys,
            ValueChange change,
            Outcome outcome,
            @Nullable CompletableFuture<ChangeLedger.WorkedOut> ahead) {
        ChangeLedger.WorkedOut workedOut = ahead == null
                ? null
                : ahead.exceptionally(failed -> {
                            Throwable cause = failed instanceof CompletionException ? failed.getCause() : failed;
                            LOG.warn(
                                    "change-set {}: working out its restarts while it was written failed ({});"
                                            + " working them out again",
                                    changeSet.id(),
                                    cause.getClass().getSimpleName());
                            return null;
                        })
                        .join();
        return ledger.commit(
                changeSet.id(),
                keys,
                change.version(),
                outcome,
                change.scope(),
                change.unchanged(),
                () -> {
                    if (changeSet.restartMode() != RestartMode.NONE) {
                        workedOutAtCommit.increment();
                    }
                    return restarts(project, change, changeSet.id(), changeSet.restartMode(), changeSet.actor());
                },
                workedOut);
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
