package io.vaultgate.delivery;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The rollout ledger ({@code GET /v1/projects/{p}/rollout}).
 *
 * @param flushInterval how often the sightings aggregated in memory are written (boot fetches never write)
 * @param liveWindow    an instance seen within this window counts as live: its revision decides staleness
 * @param maxAge        a ledger row not seen for this long is deleted
 * @param maxInstances  per deployment, the most recently seen instances kept; older ones are deleted
 */
@ConfigurationProperties("vaultgate.rollout")
record RolloutProperties(Duration flushInterval, Duration liveWindow, Duration maxAge, int maxInstances) {

    RolloutProperties {
        if (!positive(flushInterval) || !positive(liveWindow) || !positive(maxAge)) {
            throw new IllegalArgumentException(
                    "vaultgate.rollout.flush-interval, live-window and max-age must be positive");
        }
        if (maxAge.compareTo(liveWindow) < 0) {
            throw new IllegalArgumentException(
                    "vaultgate.rollout.max-age must be at least live-window, got " + maxAge + " and " + liveWindow);
        }
        if (maxInstances < 1) {
            throw new IllegalArgumentException(
                    "vaultgate.rollout.max-instances must be at least 1, got " + maxInstances);
        }
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
