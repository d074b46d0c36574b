package io.vaultgate.delivery;

import io.micronaut.scheduling.annotation.Scheduled;
import io.vaultgate.secret.SecretMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last-accessed times without a write per boot: each fetch notes its secrets in memory (latest
 * instant per secret), and a periodic flush writes them in one short transaction. A thousand
 * boots of one deployment between two flushes cost one UPDATE. A crash loses at most one
 * interval of times, which only say "recently used"; they never gate anything.
 */
@Singleton
class AccessRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(AccessRecorder.class);

    private final SecretMetadata metadata;
    private final Map<Long, Instant> pending = new ConcurrentHashMap<>();

    AccessRecorder(SecretMetadata metadata) {
        this.metadata = metadata;
    }

    void accessed(Collection<Long> secretIds, Instant at) {
        // Whole seconds: the flush writes one UPDATE per distinct instant, and DATETIME keeps
        // no fraction anyway.
        Instant second = at.truncatedTo(ChronoUnit.SECONDS);
        for (Long id : secretIds) {
            pending.merge(id, second, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    // The interval is bound here rather than through a properties record: @Scheduled takes an
    // expression. Its default is in application.yml.
    @Scheduled(
            fixedDelay = "${vaultgate.delivery.access-flush-interval}",
            initialDelay = "${vaultgate.delivery.access-flush-interval}")
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<Long, Instant> batch = new HashMap<>(pending);
        try {
            metadata.recordAccess(batch);
            // Only what was written leaves; a newer time noted meanwhile stays for the next flush.
            batch.forEach(pending::remove);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not flush last-accessed times of {} secrets; retrying at the next flush: {}",
                    batch.size(),
                    e.toString());
        }
    }

    @PreDestroy
    void flushOnShutdown() {
        flush();
    }
}
