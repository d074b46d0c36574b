package io.vaultgate.identity;

import io.micronaut.scheduling.annotation.Scheduled;
import io.vaultgate.access.AuthProperties;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a revocation through any replica take effect on this one at once: every
 * {@code vaultgate.auth.revocation-sync} it reads the accessors revoked lately (MySQL records
 * every revocation, whoever made it) and forgets what it remembers of them, so a cached lookup
 * cannot keep a revoked token alive here for the rest of its cache ttl.
 *
 * <p>{@code vaultgate.auth.revocation-sync} (default 1s) is read by the scheduler. "Lately" is the cache ttl plus a minute, measured on this replica's clock against the
 * revoking replica's: a revocation older than that can be cached nowhere any more, and the
 * minute absorbs clock skew between replicas. Each accessor is forgotten once.
 */
@Singleton
class RevocationSync {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationSync.class);
    private static final Duration SKEW_MARGIN = Duration.ofMinutes(1);

    private final IssuedTokenRepository issued;
    private final IssuedTokens issuedTokens;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Instant> forgotten = new ConcurrentHashMap<>();
    private volatile Instant lastWarning;

    RevocationSync(IssuedTokenRepository issued, IssuedTokens issuedTokens, AuthProperties auth, Clock clock) {
        this.issued = issued;
        this.issuedTokens = issuedTokens;
        this.window = auth.cacheTtl().plus(SKEW_MARGIN);
        this.clock = clock;
    }

    @Scheduled(
            fixedDelay = "${vaultgate.auth.revocation-sync:1s}",
            initialDelay = "${vaultgate.auth.revocation-sync:1s}")
    void sync() {
        Instant now = clock.instant();
        Instant since = now.minus(window);
        forgotten.values().removeIf(at -> at.isBefore(since));
        try {
            for (String accessor : issued.findAccessorsRevokedSince(since)) {
                if (forgotten.putIfAbsent(accessor, now) == null) {
                    issuedTokens.forget(accessor);
                }
            }
        } catch (RuntimeException e) {
            if (lastWarning == null || lastWarning.isBefore(now.minus(SKEW_MARGIN))) {
                lastWarning = now;
                LOG.warn(
                        "cannot read revocations from MySQL; tokens revoked through other replicas work here until "
                                + "their cached lookups expire: {}",
                        e.toString());
            }
        }
    }
}
