package io.vaultgate.access;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which token lookups may go to Vault. A token this gateway minted (known by a SHA-256 of it,
 * {@link MintedTokens}) always may: that is every workload's first boot fetch. Any other token not
 * already in the lookup cache takes a permit first, from its source's budget
 * ({@code vaultgate.auth.unknown-tokens-per-second} per client address) and from the gateway's
 * ({@code unknown-tokens-per-second-total}); without one the request answers 429 and Vault is not
 * asked. So a flood of garbage tokens, from one address or many, reaches Vault in bounded numbers
 * and never stands between a freshly minted token and its boot. Admin and metrics tokens, made in
 * Vault and so not known here, share the budgets: they are few, and cached once looked up.
 */
@Singleton
class LookupGuard {

    /** A bound on remembered sources; past it the least recently seen is forgotten, not everyone. */
    private static final int MAX_SOURCES = 10_000;

    private final MintedTokens issued;
    private final RateLimiterConfig perSource;
    private final RateLimiter total;
    private final Map<String, RateLimiter> bySource = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RateLimiter> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    LookupGuard(MintedTokens issued, AuthProperties auth) {
        this.issued = issued;
        this.perSource = perSecond(auth.unknownTokensPerSecond());
        this.total = RateLimiter.of("unknown-tokens-total", perSecond(auth.unknownTokensPerSecondTotal()));
    }

    private static RateLimiterConfig perSecond(int permits) {
        return RateLimiterConfig.custom()
                .limitForPeriod(permits)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build();
    }

    /** The admission of lookups for requests from {@code source}. */
    LookupAdmission admissionFor(String source) {
        return token ->
                issued.mintedHere(token) || sourceLimiter(source).acquirePermission() && total.acquirePermission();
    }

    /**
     * A permit for a credential the gateway must work to check with no token to know it by: a JWT
     * to exchange. The same budgets as unknown tokens.
     */
    boolean admitUnknown(String source) {
        return sourceLimiter(source).acquirePermission() && total.acquirePermission();
    }

    private RateLimiter sourceLimiter(String source) {
        synchronized (bySource) {
            return bySource.computeIfAbsent(source, s -> RateLimiter.of("unknown-tokens", perSource));
        }
    }
}
