package io.vaultgate.delivery;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout ledger without a write per boot, as {@link AccessRecorder} does for last-accessed
 * times: each boot fetch (and each 304 poll, and each reported fallback boot) is merged into an
 * in-memory sighting per instance, and a periodic flush writes them all in one transaction,
 * then prunes the table to its retention. A thousand polls of one instance between two flushes
 * cost one upserted row. A crash loses at most one interval of sightings; an instance that is
 * still running is seen again at its next poll.
 */
@Singleton
class RolloutRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutRecorder.class);

    private final RolloutLedger ledger;
    private final RolloutProperties properties;
    private final Clock clock;
    private final Map<Key, Sighting> pending = new ConcurrentHashMap<>();

    private record Key(long deploymentId, String instanceKey) {}

    RolloutRecorder(RolloutLedger ledger, RolloutProperties properties, Clock clock) {
        this.ledger = ledger;
        this.properties = properties;
        this.clock = clock;
    }

    /** A boot fetch (answered 200 or 304) of {@code revision}, now. */
    void fetched(long deploymentId, @Nullable String instance, String accessor, String revision) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        note(new Sighting(deploymentId, instance, accessor, revision, now, now, false));
    }

    /** An instance's report that it booted from a fallback file of {@code revision} at {@code bootedAt}. */
    void bootedFromFallback(long deploymentId, String instance, String accessor, String revision, Instant bootedAt) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant booted = bootedAt.isAfter(now) ? now : bootedAt.truncatedTo(ChronoUnit.SECONDS);
        note(new Sighting(deploymentId, instance, accessor, revision, booted, now, true));
    }

    private void note(Sighting sighting) {
        pending.merge(new Key(sighting.deploymentId(), sighting.instanceKey()), sighting, Sighting::merge);
    }

    // The interval is bound here rather than through RolloutProperties: @Scheduled takes an
    // expression. Its default is in application.yml.
    @Scheduled(fixedDelay = "${vaultgate.rollout.flush-interval}", initialDelay = "${vaultgate.rollout.flush-interval}")
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<Key, Sighting> batch = new HashMap<>(pending);
        Instant oldest = clock.instant().minus(properties.maxAge());
        try {
            ledger.record(List.copyOf(batch.values()), oldest, properties.maxInstances());
            // Only what was written leaves; a sighting merged meanwhile stays for the next flush.
            batch.forEach(pending::remove);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not flush {} rollout sightings; retrying at the next flush: {}", batch.size(), e.toString());
        }
    }

    @PreDestroy
    void flushOnShutdown() {
        flush();
    }
}
