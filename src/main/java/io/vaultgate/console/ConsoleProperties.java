package io.vaultgate.console;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * The console's sessions.
 *
 * @param sessionKey   the AES-256 key that seals session cookies, 32 bytes in base64; every replica
 *                     behind one address must have the same. Unset in production: the console is
 *                     off. Unset in dev mode: a key made at each start (sessions end with the process)
 * @param idleTimeout  a session unused this long is over and must sign in again (default 15m)
 * @param maxAge       a session this old is over however busy (default 8h); the token's own expiry
 *                     ends it sooner, since every request looks the token up again
 * @param secureCookie mark the cookie {@code Secure} even on a plain-HTTP request, for a gateway
 *                     behind a proxy that ends TLS (default false: {@code Secure} when the request
 *                     itself came over HTTPS)
 */
@ConfigurationProperties("vaultgate.console")
public record ConsoleProperties(
        @Nullable String sessionKey,
        @Nullable Duration idleTimeout,
        @Nullable Duration maxAge,
        @Nullable Boolean secureCookie) {

    @Creator
    public ConsoleProperties {
        sessionKey = sessionKey == null || sessionKey.isBlank() ? null : sessionKey.strip();
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(15) : idleTimeout;
        maxAge = maxAge == null ? Duration.ofHours(8) : maxAge;
        secureCookie = secureCookie != null && secureCookie;
        if (idleTimeout.isNegative() || idleTimeout.isZero() || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("vaultgate.console.idle-timeout and max-age must be positive");
        }
    }
}
