package io.vaultgate.ratelimit;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The per-caller (token accessor) write limits.
 *
 * @param dryRuns        writes with {@code ?dryRun=true} one caller may make per {@code dryRunPeriod}
 * @param dryRunPeriod   the dry-run window; its count starts afresh at the end of each
 * @param writes         real writes one caller may make per {@code writePeriod}
 * @param writePeriod    the write window
 * @param trackedCallers callers whose counts are kept; past it the least recently seen is forgotten
 */
@ConfigurationProperties("vaultgate.rate-limit")
record RateLimitProperties(int dryRuns, Duration dryRunPeriod, int writes, Duration writePeriod, int trackedCallers) {

    RateLimitProperties {
        if (dryRuns < 1 || writes < 1 || trackedCallers < 1) {
            throw new IllegalArgumentException(
                    "vaultgate.rate-limit.dry-runs, writes and tracked-callers must each be 1 or more.");
        }
        if (dryRunPeriod.isNegative() || dryRunPeriod.isZero() || writePeriod.isNegative() || writePeriod.isZero()) {
            throw new IllegalArgumentException(
                    "vaultgate.rate-limit.dry-run-period and write-period must each be longer than zero.");
        }
    }
}
