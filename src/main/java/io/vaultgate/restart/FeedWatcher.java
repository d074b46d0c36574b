package io.vaultgate.restart;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.vaultgate.database.DatabaseClock;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.RetryLaterException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks the long-polls of the events feed ({@code GET /v1/events?wait=N}) without a thread or a
 * database connection each. One watcher thread per replica wakes every poll interval and, for all
 * its waiters at once, asks MySQL one question: the newest event id of each project someone waits
 * on. Only a waiter whose project has an event after its cursor reads its page again (waiters on
 * the same page share one read); a waiter held back by an event still in its coalescing window
 * reads again when that event seals, and one whose wait is over is answered its empty page
 * without a query. A deployer opening many waits therefore costs the connection pool nothing
 * while they wait, and each caller and the replica may only park so many ({@link WaiterQuota}).
 */
@Singleton
class FeedWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(FeedWatcher.class);
    /** What a refused waiter is told to wait before asking again: a parked wait of its own may end meanwhile. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final EventFeed feed;
    private final Repositories.Events events;
    private final DatabaseClock clock;
    private final WaiterQuota quota;
    private final Queue<Waiter> arriving = new ConcurrentLinkedQueue<>();
    /** Touched by the watcher thread only. */
    private final List<Waiter> parked = new ArrayList<>();

    private final ScheduledExecutorService watcher;
    private boolean failing;

    FeedWatcher(
            EventFeed feed,
            Repositories.Events events,
            FeedProperties properties,
            DatabaseClock clock,
            MeterRegistry meters) {
        this.feed = feed;
        this.events = events;
        this.clock = clock;
        this.quota = new WaiterQuota(properties.waitersPerCaller(), properties.waitersPerReplica());
        Gauge.builder("vaultgate.feed.waiters", quota, WaiterQuota::parked)
                .description("Long-polls of GET /v1/events parked on this replica")
                .register(meters);
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "feed-watcher");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.pollInterval().toMillis();
        watcher.scheduleWithFixedDelay(this::watch, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The page of {@code projectId} after {@code cursor} once it has an event, or its empty page at
     * {@code deadline}. Refused with 429 when the caller or the replica has no place left.
     *
     * @param caller the accessor of the caller's token: its waiters count together
     */
    CompletableFuture<FeedPage> await(String caller, long projectId, long cursor, int limit, Instant deadline) {
        switch (quota.take(caller)) {
            case CALLER_FULL ->
                throw new RetryLaterException(
                        ErrorCode.TOO_MANY_WAITERS,
                        "This token already has as many long-polls waiting as it may; wait for one to answer, "
                                + "or ask without wait.",
                        RETRY_AFTER);
            case REPLICA_FULL ->
                throw new RetryLaterException(
                        ErrorCode.TOO_MANY_WAITERS,
                        "This gateway already has as many long-polls waiting as it may; try again shortly, "
                                + "or ask without wait.",
                        RETRY_AFTER);
            case GRANTED -> {}
        }
        Waiter waiter = new Waiter(new Page(projectId, cursor, limit), deadline, new CompletableFuture<>());
        waiter.answer.whenComplete((page, error) -> quota.giveBack(caller));
        arriving.add(waiter);
        return waiter.answer;
    }

    /** One page a waiter waits for; waiters on the same page are answered by one read. */
    private record Page(long projectId, long cursor, int limit) {}

    /** {@code heldUntil} set: held back by an open event until then; unset: waiting for a new event. */
    private static final class Waiter {
        final Page page;
        final Instant deadline;
        final CompletableFuture<FeedPage> answer;

        @Nullable
        Instant heldUntil;

        Waiter(Page page, Instant deadline, CompletableFuture<FeedPage> answer) {
            this.page = page;
            this.deadline = deadline;
            this.answer = answer;
        }
    }

    private void watch() {
        for (Waiter waiter; (waiter = arriving.poll()) != null; ) {
            parked.add(waiter);
        }
        parked.removeIf(waiter -> waiter.answer.isDone()); // its connection closed, say
        if (parked.isEmpty()) {
            return;
        }
        Instant now = clock.now();
        for (Iterator<Waiter> it = parked.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (!now.isBefore(waiter.deadline)) {
                waiter.answer.complete(FeedPage.empty(waiter.page.cursor()));
                it.remove();
            }
        }
        try {
            answerWhatChanged(now);
            if (failing) {
                LOG.info("events feed watcher reads MySQL again");
                failing = false;
            }
        } catch (RuntimeException e) { // never out of here: it would end the scheduled watch
            if (!failing) {
                LOG.warn(
                        "events feed watcher cannot read MySQL; waiters are answered at their timeout until it can: {}",
                        e.toString());
                failing = true;
            }
        }
    }

    private void answerWhatChanged(Instant now) {
        Set<Long> awaitingNew = new TreeSet<>();
        for (Waiter waiter : parked) {
            if (waiter.heldUntil == null) {
                awaitingNew.add(waiter.page.projectId());
            }
        }
        Map<Long, Long> newest = new HashMap<>();
        if (!awaitingNew.isEmpty()) {
            events.newestByProject(awaitingNew).forEach(row -> newest.put(row.projectId(), row.newest()));
        }
        Map<Page, List<Waiter>> due = new LinkedHashMap<>();
        for (Waiter waiter : parked) {
            boolean ready = waiter.heldUntil != null
                    ? !now.isBefore(waiter.heldUntil)
                    : newest.getOrDefault(waiter.page.projectId(), 0L) > waiter.page.cursor();
            if (ready) {
                due.computeIfAbsent(waiter.page, page -> new ArrayList<>()).add(waiter);
            }
        }
        for (Map.Entry<Page, List<Waiter>> entry : due.entrySet()) {
            Page page = entry.getKey();
            FeedPage read = feed.read(page.projectId(), page.cursor(), page.limit(), now);
            for (Waiter waiter : entry.getValue()) {
                if (read.isEmpty()) {
                    waiter.heldUntil = read.heldUntil();
                } else {
                    waiter.answer.complete(read);
                }
            }
        }
        parked.removeIf(waiter -> waiter.answer.isDone());
    }

    /** Answers every waiter its empty page, so a stopping replica closes its long-polls cleanly. */
    @PreDestroy
    void stop() {
        watcher.shutdownNow();
        try {
            watcher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Waiter> all = new ArrayList<>(parked);
        all.addAll(arriving);
        all.forEach(waiter -> waiter.answer.complete(FeedPage.empty(waiter.page.cursor())));
    }
}
