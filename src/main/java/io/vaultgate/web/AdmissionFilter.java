package io.vaultgate.web;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Back-pressure: takes on at most {@link AdmissionProperties#maxRequests()} requests at once and
 * answers the next one 503 {@code overloaded} with {@code Retry-After}, before anything is read,
 * looked up or written, so a burst of boots costs a bounded number of threads, connections and
 * bytes. 503, not 429: the caller did nothing wrong, the replica is full, and a load balancer
 * sends a 503's retry to another replica.
 *
 * <p>The health checks are never refused (an orchestrator must not restart a replica for being
 * busy), nor the event feed's long-polls, which wait without a thread and are bounded by
 * {@code vaultgate.restart.feed.waiters-per-replica}; nor the anonymous JWT exchange, whose route
 * takes its permit once its body is in ({@link Admission#whileAdmitted}). A permit is returned when
 * the response is complete, fails, or the client goes away.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
class AdmissionFilter implements HttpServerFilter {

    static final int ORDER = RequestIdFilter.ORDER + 1;

    private final Admission admission;

    AdmissionFilter(Admission admission) {
        this.admission = admission;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (exempt(request)) {
            return chain.proceed(request);
        }
        if (!admission.tryAcquire()) {
            RetryLaterException overloaded = admission.overloaded();
            return Publishers.just(
                    Problems.response(request, overloaded.errorCode(), overloaded.getMessage(), null, Map.of())
                            .header(
                                    HttpHeaders.RETRY_AFTER,
                                    String.valueOf(overloaded.retryAfter().toSeconds())));
        }
        return new Released<>(chain.proceed(request), admission::release);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /**
     * The health checks; the event feed's long-polls; and the JWT exchange, which reads its body
     * before any token is known and so takes its permit only once that body is in.
     */
    private static boolean exempt(HttpRequest<?> request) {
        String path = request.getPath();
        return path.equals("/health")
                || path.startsWith("/health/")
                || path.equals("/v1/events")
                || OpenPaths.isJwtExchange(request);
    }
}
