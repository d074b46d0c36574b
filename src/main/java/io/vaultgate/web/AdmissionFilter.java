package io.vaultgate.web;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-pressure: takes on at most {@link AdmissionProperties#maxRequests()} requests at once and
 * answers the next one 503 {@code overloaded} with {@code Retry-After}, before anything is read,
 * looked up or written, so a burst of boots costs a bounded number of threads, connections and
 * bytes. 503, not 429: the caller did nothing wrong, the replica is full, and a load balancer
 * sends a 503's retry to another replica.
 *
 * <p>The health checks are never refused (an orchestrator must not restart a replica for being
 * busy), nor the event feed's long-polls, which wait without a thread and are bounded by
 * {@code vaultgate.restart.feed.waiters-per-replica}. A permit is returned when the response is
 * complete, fails, or the client goes away.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
class AdmissionFilter implements HttpServerFilter {

    static final int ORDER = RequestIdFilter.ORDER + 1;
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionFilter.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final AdmissionProperties admission;
    private final Semaphore permits;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    AdmissionFilter(AdmissionProperties admission) {
        this.admission = admission;
        this.permits = new Semaphore(admission.maxRequests());
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (exempt(request.getPath())) {
            return chain.proceed(request);
        }
        if (!permits.tryAcquire()) {
            return Publishers.just(refuse(request));
        }
        return new Released<>(chain.proceed(request), permits::release);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    private MutableHttpResponse<?> refuse(HttpRequest<?> request) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            LOG.warn(
                    "Overloaded: {} requests in progress; refusing more with 503 (logged once per 10 s)",
                    admission.maxRequests());
        }
        long seconds = admission.retryAfterSeconds();
        return Problems.response(
                        request,
                        ErrorCode.OVERLOADED,
                        "This gateway is handling as many requests as it may; retry in " + seconds + " s.",
                        null,
                        Map.of())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
    }

    private static boolean exempt(String path) {
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/v1/events");
    }
}
