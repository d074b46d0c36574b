package io.vaultgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-caller limits and their bound on memory; windows of an hour, so no test depends on timing. */
class CallerLimitsTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void refusesACallerOverItsLimitAndSaysHowLongUntilItsWindowEnds() {
        CallerLimits limits = new CallerLimits("dry-runs", 2, HOUR, 10);

        assertThat(limits.acquire("accessor-a")).isEmpty();
        assertThat(limits.acquire("accessor-a")).isEmpty();
        CallerLimits.Refusal refusal = limits.acquire("accessor-a").orElseThrow();

        assertThat(refusal.retryAfter()).isPositive().isLessThanOrEqualTo(HOUR);
        assertThat(limits.acquire("accessor-b"))
                .as("another caller has a count of its own")
                .isEmpty();
    }

    @Test
    void onlyTheFirstRefusalOfAWindowAsksForALogLine() {
        CallerLimits limits = new CallerLimits("writes", 1, HOUR, 10);
        limits.acquire("accessor-a");

        assertThat(limits.acquire("accessor-a").orElseThrow().firstInWindow()).isTrue();
        assertThat(limits.acquire("accessor-a").orElseThrow().firstInWindow()).isFalse();
        assertThat(limits.acquire("accessor-a").orElseThrow().firstInWindow()).isFalse();
    }

    @Test
    void aFloodOfDistinctCallersKeepsOnlyTheMostRecentlySeen() {
        CallerLimits limits = new CallerLimits("writes", 1, HOUR, 3);

        for (int i = 0; i < 10_000; i++) {
            limits.acquire("flood-" + i);
        }

        assertThat(limits.trackedCallers()).isEqualTo(3);
    }

    @Test
    void aBusyCallerIsNotForgottenWhileOthersComeAndGo() {
        CallerLimits limits = new CallerLimits("dry-runs", 1, HOUR, 2);
        limits.acquire("guesser");

        for (int i = 0; i < 100; i++) {
            assertThat(limits.acquire("guesser"))
                    .as("still refused after %d others", i)
                    .isPresent();
            limits.acquire("other-" + i);
        }
    }

    @Test
    void aForgottenCallerStartsAfresh() {
        CallerLimits limits = new CallerLimits("dry-runs", 1, HOUR, 2);
        limits.acquire("quiet");
        assertThat(limits.acquire("quiet")).isPresent();

        limits.acquire("other-1");
        limits.acquire("other-2");

        assertThat(limits.acquire("quiet")).isEmpty();
    }
}
