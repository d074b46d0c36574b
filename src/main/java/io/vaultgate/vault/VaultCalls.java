package io.vaultgate.vault;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micronaut.context.annotation.Requires;
import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.ValueStoreUnavailableException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.vault.VaultException;
import org.springframework.vault.core.RestOperationsCallback;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;

/**
 * Every authenticated Vault call goes through here: the {@code vault} circuit breaker, the retry
 * of reads, and the one place where Vault's HTTP failures become {@link ValueStoreException}s.
 * Token lookups have a breaker of their own ({@code vault-lookup}): lookups are what outsiders can
 * make the gateway send at will (one per unknown token), so however a flood of them fares, it
 * cannot open the breaker that value reads and writes, boot fetches among them, depend on.
 *
 * <p>Answers that carry meaning for one operation (404: absent, 400 check-and-set: conflict,
 * "bad token": unknown caller) are handled by the callback that made the call, which throws a
 * {@link ValueStoreException} of its own or returns a result; whatever it leaves is a failure
 * and is mapped here. Messages name the Vault path and the HTTP status, never Vault's response
 * body (it may echo request data) and never a value or token.
 */
@Singleton
@Requires(property = "vaultgate.mode", value = "production")
class VaultCalls {

    static final String BREAKER_NAME = "vault";
    static final String LOOKUP_BREAKER_NAME = "vault-lookup";

    private static final Logger LOG = LoggerFactory.getLogger(VaultCalls.class);
    private static final ObjectMapper ERRORS = new ObjectMapper();
    /** OpenBao's and Vault's KV v2 answer on a standby while the leader upgrades the mount. */
    private static final String PRIMARY_UPGRADING = "waiting for the primary to upgrade";

    private final VaultTemplate vault;
    private final GatewayToken token;
    private final CircuitBreaker breaker;
    private final CircuitBreaker lookupBreaker;
    private final Retry readRetry;
    private final Retry lookupRetry;

    /** For integration tests that build the adapters without a Micronaut context: a fixed token. */
    VaultCalls(VaultTemplate vault, VaultResilienceProperties resilience) {
        this(vault, GatewayToken.fixed(""), resilience);
    }

    @Inject
    VaultCalls(VaultTemplate vault, GatewayToken token, VaultResilienceProperties resilience) {
        this.vault = vault;
        this.token = token;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(resilience.failureRateThreshold())
                .slidingWindowSize(resilience.slidingWindowSize())
                .minimumNumberOfCalls(resilience.minimumNumberOfCalls())
                .waitDurationInOpenState(resilience.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(resilience.permittedCallsInHalfOpenState())
                // Only "Vault cannot serve" is a breaker failure. A CAS mismatch is a lost race
                // between healthy writers, a 404 an absent entry, a 403 a policy problem that
                // waiting will not fix: counting them would cut every caller off from a Vault that
                // works, because of one busy scope or one misconfigured path.
                .recordException(VaultCalls::isUnavailability)
                .ignoreException(e -> !isUnavailability(e))
                .build();
        this.breaker = CircuitBreaker.of(BREAKER_NAME, config);
        // Vault's rate limit answering a lookup says "fewer lookups", not "Vault is down": counted, it
        // would let any flood that reaches the limit refuse every token not yet cached for the open time.
        this.lookupBreaker = CircuitBreaker.of(
                LOOKUP_BREAKER_NAME,
                CircuitBreakerConfig.from(config)
                        .recordException(e -> isUnavailability(e) && !(e instanceof VaultThrottledException))
                        .ignoreException(e -> !isUnavailability(e) || e instanceof VaultThrottledException)
                        .build());
        this.readRetry = Retry.of(
                BREAKER_NAME + "-read",
                RetryConfig.custom()
                        .maxAttempts(resilience.readRetryAttempts())
                        .intervalFunction(
                                IntervalFunction.ofExponentialRandomBackoff(resilience.readRetryWait(), 2.0, 0.5))
                        // Retry only a transient unavailability; an open breaker already says "wait".
                        .retryOnException(
                                e -> isUnavailability(e) && !(e.getCause() instanceof CallNotPermittedException))
                        .build());
        this.lookupRetry = Retry.of(
                LOOKUP_BREAKER_NAME,
                RetryConfig.from(readRetry.getRetryConfig())
                        .retryOnException(e -> isUnavailability(e)
                                && !(e instanceof VaultThrottledException)
                                && !(e.getCause() instanceof CallNotPermittedException))
                        .build());
    }

    /** A call that changes nothing in Vault, retried on unavailability. */
    <T> T read(String vaultPath, RestOperationsCallback<T> call) {
        return Retry.decorateSupplier(readRetry, guarded(breaker, vaultPath, () -> withSession(call)))
                .get();
    }

    /**
     * A lookup of a caller's token (a read, although a POST), behind the lookup breaker, and not
     * retried when Vault's rate limit refused it: retrying would only feed the limit.
     */
    <T> T lookup(String vaultPath, RestOperationsCallback<T> call) {
        return Retry.decorateSupplier(lookupRetry, guarded(lookupBreaker, vaultPath, () -> withSession(call)))
                .get();
    }

    /**
     * A call that changes Vault, never retried: a write whose answer was lost may have been
     * applied, and sending it again with the same cas would only come back as a CAS mismatch.
     * The caller's write protocol (intent, reconciler) deals with that uncertainty instead.
     */
    <T> T write(String vaultPath, RestOperationsCallback<T> call) {
        return guarded(breaker, vaultPath, () -> withSession(call)).get();
    }

    /**
     * A call made with a caller's token instead of the gateway's (on a client of its own, see
     * {@link VaultCallerReads}), inside the breaker but never retried: every request spends one
     * of that token's {@code num_uses}.
     */
    <T> T asCaller(String vaultPath, Supplier<T> call) {
        return guarded(breaker, vaultPath, call).get();
    }

    /** A call without the gateway's token (sys/health), outside the breaker so it always probes. */
    <T> T unauthenticated(RestOperationsCallback<T> call) {
        return vault.doWithVault(call);
    }

    /**
     * A call with the gateway's token, sent once more if Vault refused it (401, 403) and a newer
     * token is there by then: the old one was revoked with the call in flight, or before this
     * replica read the new token file. A refused call changed nothing, so sending it again is
     * safe, writes included.
     */
    private <T> T withSession(RestOperationsCallback<T> call) {
        String used = token.current();
        try {
            return vault.doWithSession(call);
        } catch (RuntimeException e) {
            HttpStatusCodeException http = httpStatus(e);
            int status = http == null ? 0 : http.getStatusCode().value();
            if ((status == 401 || status == 403) && token.newerThan(used)) {
                return vault.doWithSession(call);
            }
            throw e;
        }
    }

    CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /**
     * The one wrapper of every call: inside {@code breaker}, Vault's failures mapped by
     * {@link #translate}, and an open breaker said as "unavailable, nothing sent".
     */
    private static <T> Supplier<T> guarded(CircuitBreaker breaker, String vaultPath, Supplier<T> call) {
        Supplier<T> mapped = () -> {
            try {
                return call.get();
            } catch (ValueStoreException e) {
                throw e;
            } catch (RuntimeException e) {
                throw translate(e, vaultPath);
            }
        };
        Supplier<T> guarded = CircuitBreaker.decorateSupplier(breaker, mapped);
        return () -> {
            try {
                return guarded.get();
            } catch (CallNotPermittedException e) {
                throw new ValueStoreUnavailableException(
                        breaker.getName() + " circuit breaker is open; not calling " + vaultPath, e, true);
            }
        };
    }

    /** The one mapping from a failed Vault call to the store's errors. */
    static ValueStoreException translate(RuntimeException e, String vaultPath) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StandbyRedirects.Redirected redirected) {
                // A standby whose leader is gone (or not elected yet) redirects instead of forwarding.
                return new ValueStoreUnavailableException(
                        "vault has no reachable leader (HTTP " + redirected.status() + ") on " + vaultPath, null, true);
            }
        }
        HttpStatusCodeException http = httpStatus(e);
        if (http != null) {
            int status = http.getStatusCode().value();
            // The status only: Vault's body may repeat parts of the request.
            LOG.debug("vault answered HTTP {} on {}", status, vaultPath);
            if (status == 401 || status == 403) {
                return new ValueStoreException("permission denied on " + vaultPath, null, true);
            }
            if (status == 503) {
                // Sealed, or a standby that cannot forward: Vault processed nothing.
                return new ValueStoreUnavailableException(
                        "vault is sealed or unavailable (HTTP 503) on " + vaultPath, null, true);
            }
            if (status == 400 && primaryUpgrading(http)) {
                // A standby right after a mount is enabled or upgraded: nothing applied, and it
                // passes in seconds. Unavailable, as a standby's redirect is, not a refusal.
                return new ValueStoreUnavailableException(
                        "vault is waiting for its leader to upgrade the mount (HTTP 400) on " + vaultPath, null, true);
            }
            if (status == 429) {
                return new VaultThrottledException(
                        "vault is rate limiting or a standby cannot serve (HTTP 429) on " + vaultPath);
            }
            if (status >= 500 || status == 412) {
                // 412: a replica not caught up yet.
                return new ValueStoreUnavailableException(
                        "vault is unavailable (HTTP " + status + ") on " + vaultPath, null);
            }
            return new ValueStoreException(
                    "vault refused the call on " + vaultPath + " (HTTP " + status + ")",
                    null,
                    status >= 400 && status < 500);
        }
        if (e instanceof ResourceAccessException) {
            // Connection refused, reset, timeout: the cause names the host or the timeout, never data.
            // Only a connection never made is certain to have changed nothing.
            return new ValueStoreUnavailableException(
                    "vault is unreachable on " + vaultPath, e.getCause(), neverConnected(e));
        }
        if (e instanceof RestClientException || e instanceof VaultException) {
            return new ValueStoreException("unexpected answer from vault on " + vaultPath);
        }
        return new ValueStoreException(
                "vault call on " + vaultPath + " failed: " + e.getClass().getSimpleName());
    }

    /**
     * Whether a 400 is a standby's "Waiting for the primary to upgrade": the body's errors are
     * searched for that phrase and go nowhere else (they may echo request data).
     */
    static boolean primaryUpgrading(HttpStatusCodeException http) {
        try {
            Object errors = ERRORS.readValue(http.getResponseBodyAsByteArray(), Map.class)
                    .get("errors");
            return errors instanceof List<?> list
                    && list.stream()
                            .anyMatch(error -> String.valueOf(error)
                                    .toLowerCase(Locale.ROOT)
                                    .contains(PRIMARY_UPGRADING));
        } catch (java.io.IOException | RuntimeException unreadable) {
            return false;
        }
    }

    private static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException
                    || t instanceof java.net.http.HttpConnectTimeoutException
                    || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException
                    // No request is sent before the handshake succeeds.
                    || t instanceof javax.net.ssl.SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    /** The HTTP error behind {@code e}: Spring Vault wraps it in a VaultException whose message quotes the body. */
    static HttpStatusCodeException httpStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpStatusCodeException http) {
                return http;
            }
        }
        return null;
    }

    static boolean isUnavailability(Throwable e) {
        return e instanceof ValueStoreUnavailableException;
    }
}
