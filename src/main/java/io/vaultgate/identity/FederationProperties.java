package io.vaultgate.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Workload identity federation: which JWKS URLs a binding may name and how JWTs are checked.
 *
 * @param allowedJwksUrls        URL prefixes (absolute {@code http(s)}, each ending with {@code /}) a binding's
 *                               {@code jwksUrl} must start with; empty (the default): only static key sets
 * @param clockSkew              leeway on {@code exp}, {@code nbf} and {@code iat} (default 60s, at most 5m)
 * @param jwksCacheTtl           how long a fetched key set is reused (default 5m)
 * @param jwksRefreshMinInterval an unknown {@code kid} refetches the key set, at most this often per URL (default 10s)
 * @param jwksConnectTimeout     connect timeout of a key set fetch (default 2s)
 * @param jwksReadTimeout        read timeout of a key set fetch (default 2s)
 * @param maxJwksBytes           the largest key set read, fetched or given inline (default 65536)
 * @param tokenTtl               ttl of a token {@code POST /v1/auth/jwt} answers, never past the JWT's expiry nor
 *                               {@code vaultgate.tokens.workload-max-ttl} (default 15m)
 * @param fetchTokenTtl          ttl of the one-fetch token minted for {@code GET /v1/env} with a JWT (default 60s)
 */
@ConfigurationProperties("vaultgate.identity-federation")
public record FederationProperties(
        @Nullable List<String> allowedJwksUrls,
        @Nullable Duration clockSkew,
        @Nullable Duration jwksCacheTtl,
        @Nullable Duration jwksRefreshMinInterval,
        @Nullable Duration jwksConnectTimeout,
        @Nullable Duration jwksReadTimeout,
        @Nullable Integer maxJwksBytes,
        @Nullable Duration tokenTtl,
        @Nullable Duration fetchTokenTtl) {

    public FederationProperties {
        allowedJwksUrls = allowedJwksUrls == null
                ? List.of()
                : allowedJwksUrls.stream().filter(url -> !url.isBlank()).toList();
        clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
        jwksCacheTtl = jwksCacheTtl == null ? Duration.ofMinutes(5) : jwksCacheTtl;
        jwksRefreshMinInterval = jwksRefreshMinInterval == null ? Duration.ofSeconds(10) : jwksRefreshMinInterval;
        jwksConnectTimeout = jwksConnectTimeout == null ? Duration.ofSeconds(2) : jwksConnectTimeout;
        jwksReadTimeout = jwksReadTimeout == null ? Duration.ofSeconds(2) : jwksReadTimeout;
        maxJwksBytes = maxJwksBytes == null ? 65_536 : maxJwksBytes;
        tokenTtl = tokenTtl == null ? Duration.ofMinutes(15) : tokenTtl;
        fetchTokenTtl = fetchTokenTtl == null ? Duration.ofSeconds(60) : fetchTokenTtl;
        for (String prefix : allowedJwksUrls) {
            // A prefix must end a path segment: "https://issuer.example/" must not allow
            // "https://issuer.example.evil/" nor "https://issuer.example/keys-of-someone-else".
            URI uri = URI.create(prefix);
            if (!uri.isAbsolute()
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    || uri.getRawUserInfo() != null
                    || !prefix.endsWith("/")) {
                throw new IllegalArgumentException("vaultgate.identity-federation.allowed-jwks-urls: each must be an"
                        + " absolute http(s) URL without user info ending with '/'");
            }
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("vaultgate.identity-federation.clock-skew must be within 0 to 5m");
        }
        if (maxJwksBytes < 1
                || tokenTtl.isNegative()
                || tokenTtl.isZero()
                || fetchTokenTtl.isNegative()
                || fetchTokenTtl.isZero()) {
            throw new IllegalArgumentException("vaultgate.identity-federation: sizes and ttls must be positive");
        }
    }
}
