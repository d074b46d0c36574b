package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    @Test
    void anOffsetPastJavasEighteenHoursIsStillATime() {
        assertThat(Rfc3339.instant("4206-02-21T13:53:13-19:37")).contains(Instant.parse("4206-02-22T09:30:13Z"));
    }

    @Test
    void utcAndFractionsAndLowerCaseSeparatorsAreRead() {
        assertThat(Rfc3339.instant("2026-12-06T21:00:00Z")).contains(Instant.parse("2026-12-06T21:00:00Z"));
        assertThat(Rfc3339.instant("2026-12-06t21:00:00.25+01:00")).contains(Instant.parse("2026-12-06T20:00:00.25Z"));
    }

    @Test
    void whatIsNotADateTimeIsEmpty() {
        assertThat(Rfc3339.instant("2026-12-06T21:00:00")).isEmpty();
        assertThat(Rfc3339.instant("2026-02-30T21:00:00Z")).isEmpty();
        assertThat(Rfc3339.instant("2026-12-06T21:00:00+24:00")).isEmpty();
        assertThat(Rfc3339.instant("yesterday")).isEmpty();
        assertThat(Rfc3339.instant(null)).isEmpty();
    }
}
