package io.vaultgate.ratelimit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.vaultgate.access.Caller;
import io.vaultgate.access.CallerBinder;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.OpenPaths;
import io.vaultgate.web.Problem;
import io.vaultgate.web.Problems;
import io.vaultgate.web.WriteFlags;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every write to a {@link RateLimited} route (of the API, or of the console, whose forms
 * are writes as the same caller) against its caller's limit, by token accessor: dry runs against the tight one, real writes against the loose one. Over the limit it
 * answers 429 {@code rate-limited} with {@code Retry-After} in whole seconds before the route
 * runs, so nothing is read, written or audited. The refusal is logged (accessor, route, never a
 * token) once per caller and window, not audited: auditing a flood would turn it into database writes.
 */
@RateLimited
@ServerFilter(
        patterns = {"/v1/**", OpenPaths.CONSOLE + "/**"},
        methods = {HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH})
class WriteRateLimitFilter implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(WriteRateLimitFilter.class);

    private final CallerLimits dryRuns;
    private final CallerLimits writes;

    WriteRateLimitFilter(RateLimitProperties properties) {
        this.dryRuns = new CallerLimits(
                "dry-runs", properties.dryRuns(), properties.dryRunPeriod(), properties.trackedCallers());
        this.writes =
                new CallerLimits("writes", properties.writes(), properties.writePeriod(), properties.trackedCallers());
    }

    @RequestFilter
    @Nullable
    HttpResponse<Problem> limit(HttpRequest<?> request) {
        Optional<Caller> caller = CallerBinder.callerOf(request);
        if (caller.isEmpty()) {
            return null; // unauthenticated: the bearer-token filter has answered already
        }
        boolean dryRun = WriteFlags.of(request).dryRun();
        CallerLimits limits = dryRun ? dryRuns : writes;
        Optional<CallerLimits.Refusal> refusal = limits.acquire(caller.get().accessor());
        if (refusal.isEmpty()) {
            return null;
        }
        String what = dryRun ? "dry runs" : "writes";
        long seconds = wholeSeconds(refusal.get().retryAfter());
        if (refusal.get().firstInWindow()) {
            LOG.warn(
                    "Rate limit: {} of token accessor {} over {} per {}; refusing until its window ends ({} {})",
                    what,
                    caller.get().accessor(),
                    limits.limit(),
                    readable(limits.period()),
                    request.getMethodName(),
                    request.getPath());
        }
        return Problems.response(
                        request,
                        ErrorCode.RATE_LIMITED,
                        "This token made more than " + limits.limit() + " " + what + " in " + readable(limits.period())
                                + "; retry in " + seconds + " s.",
                        null,
                        Map.of())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
    }

    /** Runs after authentication (the bearer-token filter has the default order), which binds the caller. */
    @Override
    public int getOrder() {
        return LOWEST_PRECEDENCE;
    }

    private static String readable(Duration period) {
        return period.toMillis() % 1000 == 0 ? period.toSeconds() + " s" : period.toMillis() + " ms";
    }

    /** {@code Retry-After} takes whole seconds: round up, so a client waiting that long finds a new window. */
    private static long wholeSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
