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

    /**
     * The longest wait a receiver's {@code Retry-After} is granted: a day, about the whole retry
     * schedule. A receiver may not park a delivery for ever, nor overflow the clock with
     * {@code 9223372036854775807}.
     */
    static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    /** Reads {@code Retry-After}: delta-seconds or an HTTP date, at most {@link #MAX_RETRY_AFTER}. */
    static Optional<Duration> parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank() || header.length() > 64) {
            return Optional.empty();
        }
        String value = header.trim();
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
            // Digits only: delta-seconds, however many of them.
            boolean huge = value.length() > 9;
            long seconds = huge ? Long.MAX_VALUE : Long.parseLong(value);
            return Optional.of(seconds >= MAX_RETRY_AFTER.toSeconds() ? MAX_RETRY_AFTER : Duration.ofSeconds(seconds));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration wait = at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
        } catch (DateTimeParseException | ArithmeticException notDate) {
            return Optional.empty();
        }
    }
}
