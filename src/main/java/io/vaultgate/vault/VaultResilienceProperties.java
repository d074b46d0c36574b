package io.vaultgate.vault;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * The {@code vault} circuit breaker and the retry of reads around every Vault call. Only
 * unavailability (connection failure, timeout, 5xx, sealed) counts as a failure; see
 * {@link VaultCalls} for why.
 *
 * @param failureRateThreshold        percent of failed calls in the window that opens the breaker (default 50)
 * @param slidingWindowSize           number of most recent calls the failure rate is computed over (default 20)
 * @param minimumNumberOfCalls        calls needed in the window before the rate is judged (default 10)
 * @param waitInOpenState             how long the breaker refuses calls before probing again (default 10s)
 * @param permittedCallsInHalfOpenState probe calls let through while half-open (default 3)
 * @param readRetryAttempts           attempts for one read, the first included; 1 disables retry (default 3)
 * @param readRetryWait               wait before the first retry, doubled (with jitter) each time (default 200ms)
 */
@ConfigurationProperties("vaultgate.vault.resilience")
public record VaultResilienceProperties(
        @Nullable Float failureRateThreshold,
        @Nullable Integer slidingWindowSize,
        @Nullable Integer minimumNumberOfCalls,
        @Nullable Duration waitInOpenState,
        @Nullable Integer permittedCallsInHalfOpenState,
        @Nullable Integer readRetryAttempts,
        @Nullable Duration readRetryWait) {

    public VaultResilienceProperties {
        // Defaults here as well as in application.yml, so an adapter built by hand (tests, tools)
        // behaves like the configured one.
        failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
        slidingWindowSize = slidingWindowSize == null ? 20 : slidingWindowSize;
        minimumNumberOfCalls = minimumNumberOfCalls == null ? 10 : minimumNumberOfCalls;
        waitInOpenState = waitInOpenState == null ? Duration.ofSeconds(10) : waitInOpenState;
        permittedCallsInHalfOpenState = permittedCallsInHalfOpenState == null ? 3 : permittedCallsInHalfOpenState;
        readRetryAttempts = readRetryAttempts == null ? 3 : Math.max(1, readRetryAttempts);
        readRetryWait = readRetryWait == null ? Duration.ofMillis(200) : readRetryWait;
    }

    /** Every item at its default. */
    public static VaultResilienceProperties defaults() {
        return new VaultResilienceProperties(null, null, null, null, null, null, null);
    }
}
