package io.vaultgate.ratelimit;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind of limit ({@code limit} requests per {@code period}, never waiting) with a
 * Resilience4j rate limiter per caller, kept for the {@code trackedCallers} callers seen most
 * recently only. A flood of distinct tokens therefore cannot grow memory without end; it makes
 * the least recently seen caller start afresh, never one that is busy right now.
 */
final class CallerLimits {

    private final String kind;
    private final RateLimiterConfig config;
    private final Map<String, Limiter> byAccessor;

    CallerLimits(String kind, int limit, Duration period, int trackedCallers) {
        this.kind = kind;
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(limit)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build();
        this.byAccessor = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Limiter> eldest) {
                return size() > trackedCallers;
            }
        };
    }

    /**
     * A request over the limit: how long until the caller's window starts afresh, and whether it
     * is the caller's first refusal in this window (so a flood logs one line per window, not per request).
     */
    record Refusal(Duration retryAfter, boolean firstInWindow) {}

    /** Counts one request of this caller: empty when it is within the limit. */
    Optional<Refusal> acquire(String accessor) {
        Limiter limiter = limiterOf(accessor);
        if (limiter.rateLimiter().acquirePermission()) {
            return Optional.empty();
        }
        AtomicRateLimiter.AtomicRateLimiterMetrics state = limiter.rateLimiter().getDetailedMetrics();
        boolean first = limiter.lastRefusedWindow().getAndSet(state.getCycle()) != state.getCycle();
        return Optional.of(new Refusal(Duration.ofNanos(state.getNanosToWait()), first));
    }

    int limit() {
        return config.getLimitForPeriod();
    }

    Duration period() {
        return config.getLimitRefreshPeriod();
    }

    synchronized int trackedCallers() {
        return byAccessor.size();
    }

    private synchronized Limiter limiterOf(String accessor) {
        return byAccessor.computeIfAbsent(
                accessor, key -> new Limiter(new AtomicRateLimiter(kind + ":" + key, config), new AtomicLong(-1)));
    }

    private record Limiter(AtomicRateLimiter rateLimiter, AtomicLong lastRefusedWindow) {}
}
