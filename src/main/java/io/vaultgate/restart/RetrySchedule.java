package io.vaultgate.restart;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a failed delivery again: the configured schedule (Svix-like, scaled), with ±20%
 * jitter so a receiver coming back is not hit by every replica at once, and never earlier than
 * the receiver's {@code Retry-After}. Pure: time and randomness come in.
 */
final class RetrySchedule {

    private final List<Duration> delays;
    private final double scale;
    private final RandomGenerator random;

    RetrySchedule(List<Duration> delays, double scale, RandomGenerator random) {
        this.delays = List.copyOf(delays);
        this.scale = scale;
        this.random = random;
    }

    /** Attempts a delivery gets before it is dead-lettered. */
    int maxAttempts() {
        return delays.size() + 1;
    }

    /**
     * @param attemptsMade attempts so far, the failed one included
     * @return when to try next, or empty when the delivery is to be dead-lettered
     */
    Optional<Instant> next(int attemptsMade, Instant now, Optional<Duration> retryAfter) {
        if (attemptsMade >= maxAttempts()) {
            return Optional.empty();
        }
        double jitter = 0.8 + random.nextDouble() * 0.4;
        long millis = Math.round(delays.get(attemptsMade - 1).toMillis() * scale * jitter);
        Duration delay = Duration.ofMillis(millis);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            delay = retryAfter.get();
        }
        return Optional.of(now.plus(delay));
    }

    /** Reads {@code Retry-After}: delta-seconds or an HTTP date. */
    static Optional<Duration> parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Optional.of(Duration.between(now, at)) : Optional.of(Duration.ZERO);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
