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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
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
    /**
     * At most {@code commitThreads} writes committed here while the value store writes them, each
     * holding a MySQL connection meanwhile; past that, their writers commit after the write. Null
     * when there are none.
     */
    @Nullable
    private final ExecutorService committers;

    private final Duration commitWait;

    private final Counter workedOutAhead;
    private final Counter workedOutAtCommit;
    private final Counter commitsWhileWriting;
    private final Counter commitsAfterWriting;

    ChangeSetCompletion(ChangeLedger ledger, ImpactAnalysis impact, WriteProperties writes, MeterRegistry meters) {
        this.ledger = ledger;
        this.impact = impact;
        this.workers = new ThreadPoolExecutor(
                0,
                writes.restartThreads(),
                60,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                daemonThreads("restart-impact-"),
                // All busy, or shut down: the writer works them out itself, never a future left
                // uncompleted (CallerRunsPolicy drops the task once the pool is shut down).
                (task, pool) -> task.run());
        // All busy, or shut down: refused, and the writer commits after its write. Never on the
        // writer's thread, which would wait for the answer to a write it has not sent.
        this.committers = writes.commitThreads() <= 0
                        || writes.commitWait().isZero()
                        || writes.commitWait().isNegative()
                ? null
                : new ThreadPoolExecutor(
                        0,
                        writes.commitThreads(),
                        60,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        daemonThreads("write-commit-"),
                        new ThreadPoolExecutor.AbortPolicy());
        this.commitWait = writes.commitWait();
        this.workedOutAhead = workedOut(meters, "ahead");
        this.workedOutAtCommit = workedOut(meters, "at-commit");
        this.commitsWhileWriting = committed(meters, "while-writing");
        this.commitsAfterWriting = committed(meters, "after-writing");
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static Counter committed(MeterRegistry meters, String when) {
        return Counter.builder("vaultgate.writes.committed")
                .description("Single-scope writes committed while the value store wrote them (while-writing),"
                        + " or after: by their writer (every commit thread busy, the commit made while writing"
                        + " rolled back, nothing written) or by the reconciler (after-writing)")
                .tag("when", when)
                .register(meters);
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
        if (committers != null) {
            committers.shutdownNow();
        }
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
     * Starts committing {@code planned} while the value store writes it: once the store tells the
     * version it lands as ({@code landsAs}), the rows are written for it, then the commit waits for
     * {@code landed} (the version the write got, or its failure) and the restart events, until
     * {@code vaultgate.writes.commit-wait} after the version was told at most, and commits only if
     * the write landed as told. No MySQL connection is taken before the version is known.
     *
     * @return the commit, failing if it rolled back; null when every commit thread is busy
     */
    @Nullable
    CompletableFuture<ChangeLedger.Committed> commitWhileWriting(
            ChangeSet changeSet,
            List<ChangeSetKey> keys,
            ValueChange planned,
            CompletableFuture<ChangeLedger.WorkedOut> restarts,
            CompletableFuture<Integer> landsAs,
            Future<Integer> landed) {
        if (committers == null) {
            return null;
        }
        // Null with ?restart=none.
        Future<ChangeLedger.WorkedOut> owed =
                restarts.thenApply(events -> events == null ? ChangeLedger.WorkedOut.NONE_OWED : events);
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        int version = landsAs.join();
                        return ledger.commitWhileWriting(
                                changeSet.id(),
                                keys,
                                version,
                                Outcome.SUCCEEDED,
                                planned.scope(),
                                planned.unchanged(),
                                owed,
                                landed,
                                System.nanoTime() + commitWait.toNanos());
                    },
                    committers);
        } catch (RejectedExecutionException allBusy) {
            return null;
        }
    }

    /**
     * What {@link #commitWhileWriting} committed, once it has ended; empty when it rolled back
     * (or was never started), and the writer commits as after any write.
     */
    Optional<ChangeLedger.Committed> awaitCommitMadeWhileWriting(
            String changeSetId, @Nullable CompletableFuture<ChangeLedger.Committed> commit) {
        if (commit == null) {
            return Optional.empty();
        }
        try {
            ChangeLedger.Committed committed = commit.join();
            commitsWhileWriting.increment();
            return Optional.of(committed);
        } catch (CompletionException rolledBack) {
            Throwable cause = rolledBack.getCause();
            boolean expected = cause instanceof ChangeLedger.NotCommittedWhileWriting
                    || cause instanceof ChangeLedger.ImpactOutdated
                    || cause instanceof ChangeLedger.IntentTakenOver;
            // An expected give-up is routine; anything else (MySQL failing, say) is worth seeing.
            if (expected) {
                LOG.debug(
                        "change-set {}: not committed while it was written ({}); committing now",
                        changeSetId,
                        cause.getClass().getSimpleName());
            } else {
                LOG.warn(
                        "change-set {}: not committed while it was written ({}); committing now",
                        changeSetId,
                        cause.getClass().getSimpleName());
            }
            return Optional.empty();
        }
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
        ChangeLedger.WorkedOut workedOut = ahead == null ? null : restartsWorkedOut(changeSet, ahead);
        ChangeLedger.Committed committed = ledger.commit(
                changeSet.id(),
                keys,
                change.version(),
                outcome,
                change.scope(),
                change.unchanged(),
                () -> atCommit(project, change, changeSet),
                workedOut);
        commitsAfterWriting.increment();
        return committed;
    }

    /** The events worked out while the change-set was written; null if that failed (logged). */
    @Nullable
    private static ChangeLedger.WorkedOut restartsWorkedOut(
            ChangeSet changeSet, CompletableFuture<ChangeLedger.WorkedOut> ahead) {
        return ahead.exceptionally(failed -> {
                    Throwable cause = failed instanceof CompletionException ? failed.getCause() : failed;
                    LOG.warn(
                            "change-set {}: working out its restarts while it was written failed ({});"
                                    + " working them out again",
                            changeSet.id(),
                            cause.getClass().getSimpleName());
                    return null;
                })
                .join();
    }

    private List<NewEvent> atCommit(Project project, ValueChange change, ChangeSet changeSet) {
        if (changeSet.restartMode() != RestartMode.NONE) {
            workedOutAtCommit.increment();
        }
        return restarts(project, change, changeSet.id(), changeSet.restartMode(), changeSet.actor());
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
