package io.vaultgate.restart;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.List;

/**
 * Restart events and their delivery.
 *
 * @param coalescingWindow how long an event waits for more change-sets of the same deployment (0: none)
 * @param pollInterval     how often the dispatcher looks for due deliveries
 * @param batchSize        deliveries claimed per round
 * @param concurrency      deliveries sent at once by one replica
 * @param lease            how long a claimed delivery is held before another replica may take it
 * @param requestTimeout   the receiver's time to answer one delivery
 * @param retrySchedule    delays between attempts (a Svix-like schedule); its length + 1 is the attempt count
 * @param retryScale       multiplies every delay: 1 in production, tiny in tests to compress the schedule
 * @param maxFeedWait      longest long-poll of the events feed
 * @param circuitOpenWait  how long a hook's circuit breaker stays open before letting a probe through
 * @param circuitFailureRate percent of a hook's last 20 attempts that must fail to open its breaker: high,
 *                         so that a flaky receiver keeps getting deliveries (its failures are retried on
 *                         the schedule) and only one that is down is left alone
 * @param perHookConcurrency deliveries of one hook in flight at once, all replicas together
 * @param perProjectConcurrency deliveries of one project's hooks in flight at once, all replicas together
 * @param maxHooksPerProject hooks a project may hold, removed ones not counted
 */
@ConfigurationProperties("vaultgate.restart")
record RestartProperties(
        Duration coalescingWindow,
        Duration pollInterval,
        int batchSize,
        int concurrency,
        Duration lease,
        Duration requestTimeout,
        List<Duration> retrySchedule,
        double retryScale,
        Duration maxFeedWait,
        Duration circuitOpenWait,
        int circuitFailureRate,
        int perHookConcurrency,
        int perProjectConcurrency,
        int maxHooksPerProject) {

    RestartProperties {
        retrySchedule = List.copyOf(retrySchedule);
    }
}
