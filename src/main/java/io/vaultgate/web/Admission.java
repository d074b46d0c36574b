package io.vaultgate.web;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's admission permits: at most {@link AdmissionProperties#maxRequests()} requests at
 * work at once. {@link AdmissionFilter} takes one as a request arrives; the anonymous JWT exchange
 * takes one only once its whole body is in ({@link #whileAdmitted}), so a client that sends it
 * slowly holds none while it trickles.
 */
@Singleton
public class Admission {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final AdmissionProperties properties;
    private final Semaphore permits;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    Admission(AdmissionProperties properties) {
        this.properties = properties;
        this.permits = new Semaphore(properties.maxRequests());
    }

    /** A permit, or false when every permit is taken (logged at most once per 10 s). */
    boolean tryAcquire() {
        if (permits.tryAcquire()) {
            return true;
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            LOG.warn(
                    "Overloaded: {} requests in progress; refusing more with 503 (logged once per 10 s)",
                    properties.maxRequests());
        }
        return false;
    }

    void release() {
        permits.release();
    }

    /** Does {@code work} holding a permit, or refuses it with 503 {@code overloaded} when none is free. */
    public <T> T whileAdmitted(Supplier<T> work) {
        if (!tryAcquire()) {
            throw overloaded();
        }
        try {
            return work.get();
        } finally {
            release();
        }
    }

    RetryLaterException overloaded() {
        long seconds = properties.retryAfterSeconds();
        return new RetryLaterException(
                ErrorCode.OVERLOADED,
                "This gateway is handling as many requests as it may; retry in " + seconds + " s.",
                Duration.ofSeconds(seconds));
    }
}
