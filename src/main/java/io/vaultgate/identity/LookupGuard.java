package io.vaultgate.identity;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.vaultgate.vault.LookupBudget;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each source's budget of unknown tokens: {@code vaultgate.auth.unknown-tokens-per-second} per
 * client address. A source that spends it gets 429 for any token the gateway does not already
 * know until the next second, so a flood of garbage tokens never reaches Vault in numbers, while
 * the tokens of callers already known keep working from the lookup cache.
 */
@Singleton
class LookupGuard {

    /** A bound on remembered sources, so a flood from many addresses cannot grow the heap without end. */
    private static final int MAX_SOURCES = 10_000;

    private final RateLimiterConfig config;
    private final Map<String, RateLimiter> bySource = new ConcurrentHashMap<>();

    LookupGuard(AuthProperties auth) {
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(auth.unknownTokensPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build();
    }

    LookupBudget budgetOf(String source) {
        if (bySource.size() >= MAX_SOURCES && !bySource.containsKey(source)) {
            bySource.clear();
        }
        RateLimiter limiter = bySource.computeIfAbsent(source, s -> RateLimiter.of("unknown-tokens", config));
        return new LookupBudget() {
            @Override
            public boolean exhausted() {
                return limiter.getMetrics().getAvailablePermissions() <= 0;
            }

            @Override
            public void spend() {
                limiter.acquirePermission();
            }
        };
    }
}
