package io.vaultgate.web;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;

/**
 * The paths served without a token: the health probes ({@code /health}, {@code /health/liveness},
 * {@code /health/readiness}), which orchestrators call without credentials, and the API contract
 * ({@code /openapi.yml}). One pattern, so that the bearer-token filter and the filters that must
 * run only after it ({@code ChunkedBodyFilter}) apply to exactly the same paths.
 */
public final class OpenPaths {

    // \z, not $: '$' also matches before a final line feed, which would open "/health\n". (?s) lets '.*' span
    // line feeds too, so a path holding one anywhere still needs a token.
    /** Every path but the exact open ones, as a {@code FilterPatternStyle.REGEX} pattern. */
    public static final String ALL_BUT_OPEN_PATHS = "(?s)^(?!/health(/liveness|/readiness)?/?\\z|/openapi\\.yml\\z).*";

    /** Where the web console lives; it authenticates by its session cookie, not a bearer header. */
    public static final String CONSOLE = "/console";

    /**
     * The paths that need a bearer token: every path but the open ones and the console's, as a
     * {@code FilterPatternStyle.REGEX} pattern. The console's filter authenticates its own paths
     * with the same lookup, before {@code ChunkedBodyFilter} runs there too.
     */
    public static final String BEARER_PATHS =
            "(?s)^(?!/health(/liveness|/readiness)?/?\\z|/openapi\\.yml\\z|/console(/|\\z)).*";

    /** The anonymous JWT exchange: its body's JWT is the credential, so no bearer token comes before it. */
    public static final String JWT_EXCHANGE = "/v1/auth/jwt";

    /** Whether the request is the JWT exchange ({@code POST /v1/auth/jwt}). */
    public static boolean isJwtExchange(HttpRequest<?> request) {
        return request.getMethod() == HttpMethod.POST && JWT_EXCHANGE.equals(request.getPath());
    }

    private OpenPaths() {}
}
