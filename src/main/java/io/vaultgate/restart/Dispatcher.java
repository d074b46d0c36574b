package io.vaultgate.restart;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.vaultgate.database.DatabaseClock;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox. Claims due deliveries with {@code FOR UPDATE SKIP LOCKED} and leases them
 * in a short transaction, sends each after commit (never inside a transaction), and records the
 * outcomes as they come in, those finished since the last record together. Any number of replicas can run this: a row is held by
 * one at a time, and a crashed replica's lease expires so another sends it again, which is why
 * delivery is at-least-once and receivers deduplicate on {@code webhook-id}.
 *
 * <p>Sending never waits for a whole batch: a replica claims only as many deliveries as it has
 * free senders ({@code concurrency}), and claims more as each one finishes, so a crash re-sends
 * only what was in flight, and a receiver that never answers holds its own senders and no one
 * else's. Of one hook at most {@code per-hook-concurrency} deliveries are in flight, and of one
 * project's hooks at most {@code per-project-concurrency}, counted over all replicas; the rest stay
 * pending, untouched and not counted as attempts.
 */
@Singleton
public class Dispatcher implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Repositories.Deliveries deliveries;
    private final DueDeliveries due;
    private final Repositories.Webhooks webhooks;
    private final Repositories.Events events;
    private final Repositories.Attempts attempts;
    private final HookSecrets secrets;
    private final HookUrlPolicy urls;
    private final ProjectNetworks networks;
    private final WebhookSender sender;
    private final Catalog catalog;
    private final RestartProperties properties;
    private final Transactions transactions;
    private final DatabaseClock clock;
    private final RetrySchedule schedule;
    private final CircuitBreakerRegistry breakers;
    private final ExecutorService senders;
    private final Semaphore wakeUps = new Semaphore(0);
    /** Free senders: a delivery is claimed only with one in hand. */
    private final Semaphore freeSenders;
    /** When this replica last ran its claim query (System.nanoTime); touched by the dispatch thread only. */
    private long lastClaimAt = System.nanoTime() - Long.MAX_VALUE / 2;

    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private Thread recorder;
    private volatile boolean running = true;
    private Thread loop;

    Dispatcher(
            Repositories.Deliveries deliveries,
            DueDeliveries due,
            Repositories.Webhooks webhooks,
            Repositories.Events events,
            Repositories.Attempts attempts,
            HookSecrets secrets,
            HookUrlPolicy urls,
            ProjectNetworks networks,
            WebhookSender sender,
            Catalog catalog,
            RestartProperties properties,
            Transactions transactions,
            DatabaseClock clock) {
        this.deliveries = deliveries;
        this.due = due;
        this.webhooks = webhooks;
        this.events = events;
        this.attempts = attempts;
        this.secrets = secrets;
        this.urls = urls;
        this.networks = networks;
        this.sender = sender;
        this.catalog = catalog;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
        this.schedule =
                new RetrySchedule(properties.retrySchedule(), properties.retryScale(), ThreadLocalRandom.current());
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.circuitFailureRate())
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .waitDurationInOpenState(properties.circuitOpenWait())
                .permittedNumberOfCallsInHalfOpenState(2)
                .build());
        this.freeSenders = new Semaphore(properties.concurrency());
        this.senders = Executors.newFixedThreadPool(properties.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "webhook-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public synchronized void onApplicationEvent(StartupEvent event) {
        if (loop == null) {
            loop = new Thread(this::run, "webhook-dispatcher");
            loop.setDaemon(true);
            loop.start();
            recorder = new Thread(this::recordFinished, "webhook-recorder");
            recorder.setDaemon(true);
            recorder.start();
        }
    }

    /**
     * Asks this replica to look for due deliveries now rather than at the next poll: called
     * after a commit that recorded events. Other replicas find them at their next poll.
     */
    public void wakeUp() {
        wakeUps.release();
    }

    private void run() {
        while (running) {
            try {
                while (running && dispatchRound() > 0) {
                    LOG.debug("dispatched a round; looking for more at once");
                }
            } catch (RuntimeException e) {
                LOG.warn("webhook dispatch round failed; the next poll retries: {}", e.toString());
            }
            try {
                if (wakeUps.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Claims what the free senders can take and starts sending it. Returns how many deliveries it claimed. */
    int dispatchRound() {
        int free = Math.min(freeSenders.availablePermits(), properties.batchSize());
        boolean sending = freeSenders.availablePermits() < properties.concurrency();
        boolean claimedLately =
                System.nanoTime() - lastClaimAt < properties.pollInterval().toNanos();
        if (free == 0 || (sending && claimedLately && free < Math.max(1, properties.concurrency() / 4))) {
            // While others are in flight, claim in handfuls rather than one query per finished send;
            // but at least once a poll, so a few free senders are never left idle behind slow receivers.
            return 0;
        }
        lastClaimAt = System.nanoTime();
        Instant now = clock.now();
        // Whole seconds, as the column keeps them, so the lease can be compared when recording.
        Instant leaseUntil = now.plus(properties.lease()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<WebhookDelivery> claimed = transactions.executeWrite(status -> {
            List<Long> fairShare =
                    due.ids(now, properties.perHookConcurrency(), properties.perProjectConcurrency(), free);
            List<WebhookDelivery> claimable = fairShare.isEmpty() ? List.of() : deliveries.claim(fairShare, now);
            if (!claimable.isEmpty()) {
                deliveries.lease(claimable.stream().map(WebhookDelivery::id).toList(), leaseUntil);
            }
            return claimable;
        });
        if (claimed.isEmpty()) {
            return 0;
        }
        Map<Long, Webhook> hooks =
                webhooks
                        .findByIdIn(claimed.stream()
                                .map(WebhookDelivery::webhookId)
                                .distinct()
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(Webhook::id, Function.identity()));
        Map<String, RestartEvent> eventsById =
                events
                        .findByEventIdIn(claimed.stream()
                                .map(WebhookDelivery::eventId)
                                .distinct()
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(RestartEvent::eventId, Function.identity()));
        Map<Long, String> projectSlugs = new HashMap<>();
        Map<Long, HookNetworks> projectNetworks = new HashMap<>();
        Map<String, String> bodies = new HashMap<>();
        for (WebhookDelivery delivery : claimed) {
            Webhook hook = hooks.get(delivery.webhookId());
            RestartEvent event = eventsById.get(delivery.eventId());
            String project;
            String body;
            HookNetworks allowed;
            try {
                project = projectSlugs.computeIfAbsent(
                        event.projectId(), id -> catalog.requireProjectById(id).slug());
                body = bodies.computeIfAbsent(
                        event.eventId(), id -> EventPayloads.json(EventPayloads.message(event, project)));
                allowed = projectNetworks.computeIfAbsent(hook.projectId(), networks::of);
            } catch (RuntimeException unprepared) {
                // One delivery that cannot be prepared must not strand the rest of the claim.
                LOG.warn(
                        "could not prepare webhook delivery {}; it is tried again when its lease ends: {}",
                        delivery.deliveryId(),
                        unprepared.toString());
                continue;
            }
            freeSenders.acquireUninterruptibly(); // never blocks: only this thread takes, and it counted first
            try {
                senders.execute(() -> {
                    try {
                        finished.add(new Finished(attempt(delivery, hook, event, project, allowed, body), leaseUntil));
                    } catch (RuntimeException failed) {
                        LOG.warn(
                                "webhook delivery {} failed before it could be recorded; it is sent again when "
                                        + "its lease ends: {}",
                                delivery.deliveryId(),
                                failed.toString());
                    } finally {
                        freeSenders.release();
                    }
                });
            } catch (RuntimeException rejected) {
                freeSenders.release(); // shutting down: its lease expires and it is sent again
                throw rejected;
            }
        }
        return claimed.size();
    }

    /**
     * Records finished deliveries as they come, in one transaction for all that finished since the
     * last one (a sender never waits for it), each on its own if that fails, so one delivery's
     * bookkeeping can never leave the others unrecorded.
     */
    private void recordFinished() {
        while (running) {
            List<Finished> batch = new ArrayList<>();
            try {
                Finished first = finished.poll(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                finished.drainTo(batch, properties.batchSize() - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            batch.stream().collect(Collectors.groupingBy(Finished::leaseUntil)).forEach((leaseUntil, sameLease) -> {
                List<Outcome> outcomes =
                        sameLease.stream().map(Finished::outcome).toList();
                try {
                    record(outcomes, leaseUntil);
                } catch (RuntimeException together) {
                    for (Outcome outcome : outcomes) {
                        try {
                            record(List.of(outcome), leaseUntil);
                        } catch (RuntimeException failed) {
                            LOG.warn(
                                    "could not record webhook delivery {}; it is sent again when its lease ends: {}",
                                    outcome.delivery().deliveryId(),
                                    failed.toString());
                        }
                    }
                }
            });
            wakeUp(); // their hooks' capacity is free again
        }
    }

    /** A sent delivery waiting to be recorded, with the lease it was claimed under. */
    private record Finished(Outcome outcome, Instant leaseUntil) {}

    /** What became of one claimed delivery. */
    private record Outcome(
            WebhookDelivery delivery,
            Webhook hook,
            WebhookSender.Result result,
            boolean attempted,
            DeliveryError cancelled) {}

    private Outcome attempt(
            WebhookDelivery delivery,
            Webhook hook,
            RestartEvent event,
            String project,
            HookNetworks allowed,
            String body) {
        if (!hook.enabled()) {
            return new Outcome(
                    delivery,
                    hook,
                    null,
                    false,
                    hook.removed() ? DeliveryError.HOOK_REMOVED : DeliveryError.HOOK_DISABLED);
        }
        URI url;
        try {
            url = urls.parse(hook.url());
        } catch (RuntimeException refused) {
            return new Outcome(
                    delivery, hook, WebhookSender.Result.failed(DeliveryError.ADDRESS_REFUSED, 0), true, null);
        }
        CircuitBreaker breaker = breakers.circuitBreaker(hook.hookId());
        if (!breaker.tryAcquirePermission()) {
            return new Outcome(delivery, hook, null, false, null);
        }
        WebhookSender.Result result;
        try {
            result = sender.send(url, allowed, secrets.signer(project, hook.hookId()), event.eventId(), body);
        } catch (RuntimeException signerUnavailable) {
            breaker.releasePermission();
            return new Outcome(delivery, hook, null, false, null);
        }
        if (result.delivered() || result.gone()) {
            breaker.onSuccess(result.durationMs(), TimeUnit.MILLISECONDS);
        } else {
            breaker.onError(
                    result.durationMs(),
                    TimeUnit.MILLISECONDS,
                    new IllegalStateException(
                            result.statusCode() == null ? result.error().wireName() : "HTTP " + result.statusCode()));
        }
        return new Outcome(delivery, hook, result, true, null);
    }

    /**
     * Records what became of claimed deliveries, for those this replica still holds: a delivery
     * whose lease ran out was claimed again by another replica (or another round), whose outcome
     * is the one that counts.
     */
    private void record(List<Outcome> outcomes, Instant leaseUntil) {
        Instant now = clock.now();
        long dead = transactions.executeWrite(status -> {
            java.util.Set<Long> held = new java.util.HashSet<>(deliveries.stillLeased(
                    outcomes.stream().map(o -> o.delivery().id()).toList(), leaseUntil));
            Map<Integer, List<Long>> deliveredByStatus = new HashMap<>();
            List<WebhookDelivery> updated = new ArrayList<>();
            List<WebhookAttempt> tried = new ArrayList<>();
            Map<Long, Webhook> disabled = new HashMap<>();
            for (Outcome outcome : outcomes) {
                WebhookDelivery d = outcome.delivery();
                if (!held.contains(d.id())) {
                    continue;
                }
                if (!outcome.attempted()) {
                    updated.add(
                            outcome.cancelled() != null
                                    ? d.cancelled(outcome.cancelled(), d.lastStatusCode(), d.attempts())
                                    : d.postponed(now.plus(properties.circuitOpenWait())));
                    continue;
                }
                WebhookSender.Result result = outcome.result();
                int attemptNumber = d.attempts() + 1;
                tried.add(new WebhookAttempt(
                        null, d.id(), attemptNumber, now, result.statusCode(), result.error(), result.durationMs()));
                if (result.delivered()) {
                    deliveredByStatus
                            .computeIfAbsent(result.statusCode(), code -> new ArrayList<>())
                            .add(d.id());
                } else if (result.gone()) {
                    disabled.put(outcome.hook().id(), outcome.hook().disabled("receiver answered 410 Gone"));
                    updated.add(d.cancelled(DeliveryError.HOOK_DISABLED, 410, attemptNumber));
                } else {
                    updated.add(d.failed(
                            attemptNumber,
                            result.statusCode(),
                            result.error(),
                            schedule.next(attemptNumber, now, result.retryAfter())));
                }
            }
            deliveredByStatus.forEach((code, ids) -> deliveries.markDelivered(ids, code, now));
            deliveries.updateAll(updated);
            attempts.saveAll(tried);
            webhooks.updateAll(disabled.values());
            return updated.stream().filter(WebhookDelivery::dead).count();
        });
        if (dead > 0) {
            LOG.warn("{} webhook deliveries dead-lettered after {} attempts", dead, schedule.maxAttempts());
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        wakeUps.release();
        senders.shutdownNow();
        if (recorder != null) {
            recorder.interrupt();
        }
    }
}
