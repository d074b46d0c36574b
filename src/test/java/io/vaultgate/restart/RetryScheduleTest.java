package io.vaultgate.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private final List<Duration> svix = List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10));

    @Test
    void followsTheScheduleWithinTwentyPercentJitter() {
        RetrySchedule low = new RetrySchedule(svix, 1.0, fixed(0.0));
        RetrySchedule high = new RetrySchedule(svix, 1.0, fixed(0.999999));

        assertThat(low.next(1, NOW, Optional.empty())).contains(NOW.plusSeconds(4));
        assertThat(high.next(1, NOW, Optional.empty())).contains(NOW.plusSeconds(6));
        assertThat(low.next(2, NOW, Optional.empty())).contains(NOW.plusSeconds(240));
    }

    @Test
    void deadLettersAfterTheLastAttempt() {
        RetrySchedule schedule = new RetrySchedule(svix, 1.0, fixed(0.5));

        assertThat(schedule.maxAttempts()).isEqualTo(8);
        assertThat(schedule.next(7, NOW, Optional.empty())).isPresent();
        assertThat(schedule.next(8, NOW, Optional.empty())).isEmpty();
    }

    @Test
    void scaleCompressesTheScheduleForTests() {
        RetrySchedule compressed = new RetrySchedule(svix, 0.001, fixed(0.5));

        assertThat(compressed.next(3, NOW, Optional.empty())).contains(NOW.plusMillis(1800));
    }

    @Test
    void retryAfterIsHonouredWhenLongerThanTheSchedule() {
        RetrySchedule schedule = new RetrySchedule(svix, 1.0, fixed(0.5));

        assertThat(schedule.next(1, NOW, Optional.of(Duration.ofSeconds(120)))).contains(NOW.plusSeconds(120));
        assertThat(schedule.next(1, NOW, Optional.of(Duration.ofSeconds(1)))).contains(NOW.plusSeconds(5));
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(RetrySchedule.parseRetryAfter("30", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetrySchedule.parseRetryAfter("Sun, 22 Nov 2026 12:01:00 GMT", NOW))
                .contains(Duration.ofMinutes(1));
        assertThat(RetrySchedule.parseRetryAfter("soon", NOW)).isEmpty();
        assertThat(RetrySchedule.parseRetryAfter("-5", NOW)).isEmpty();
        assertThat(RetrySchedule.parseRetryAfter(null, NOW)).isEmpty();
    }

    @Test
    void aReceiversRetryAfterIsClampedToADayHoweverLargeOrFarItIs() {
        for (String hostile : List.of(
                "9223372036854775807", "99999999999999999999999999", "86401", "Fri, 31 Dec 9999 23:59:59 GMT")) {
            Optional<Duration> wait = RetrySchedule.parseRetryAfter(hostile, NOW);
            assertThat(wait).as(hostile).contains(Duration.ofDays(1));
            assertThat(NOW.plus(wait.get())).isAfter(NOW);
        }
        assertThat(RetrySchedule.parseRetryAfter("1".repeat(100), NOW))
                .as("absurdly long")
                .isEmpty();
        RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofSeconds(5)), 1.0, fixed(0.5));
        assertThat(schedule.next(1, NOW, RetrySchedule.parseRetryAfter("9223372036854775807", NOW)))
                .contains(NOW.plus(Duration.ofDays(1)));
    }

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
