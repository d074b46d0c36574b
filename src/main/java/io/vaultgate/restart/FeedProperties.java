package io.vaultgate.restart;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Long-polls of the events feed ({@code GET /v1/events?wait=N}).
 *
 * @param pollInterval      how often the one watcher of a replica looks for new events for all its waiters
 * @param waitersPerCaller  long-polls one token may have parked at once on a replica; the next answers 429
 * @param waitersPerReplica long-polls of all callers parked at once on a replica; the next answers 429
 */
@ConfigurationProperties("vaultgate.restart.feed")
record FeedProperties(Duration pollInterval, int waitersPerCaller, int waitersPerReplica) {

    FeedProperties {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException(
                    "vaultgate.restart.feed.poll-interval must be positive, got " + pollInterval);
        }
        if (waitersPerCaller < 1 || waitersPerReplica < 1) {
            throw new IllegalArgumentException("vaultgate.restart.feed.waiters-per-caller and waiters-per-replica "
                    + "must be at least 1, got " + waitersPerCaller + " and " + waitersPerReplica);
        }
    }
}
