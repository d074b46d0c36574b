package io.vaultgate.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * How many requests one replica takes on at once ({@link AdmissionFilter}). The requests past
 * {@code micronaut.executors.io.n-threads} wait in that executor's queue, so this number is also
 * what bounds the queue; the next request is refused at once with 503 {@code overloaded} rather
 * than queued without end, because a boot fetch that waits behind hundreds of others is slower
 * for everyone than one told to come back.
 *
 * @param maxRequests requests being handled or waiting for a thread, together
 * @param retryAfter  what a refused request's {@code Retry-After} says (rounded up to whole seconds)
 */
@ConfigurationProperties("vaultgate.admission")
record AdmissionProperties(int maxRequests, Duration retryAfter) {

    AdmissionProperties {
        if (maxRequests < 1) {
            throw new IllegalArgumentException("vaultgate.admission.max-requests is 1 or more.");
        }
        if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("vaultgate.admission.retry-after is positive.");
        }
    }

    long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
