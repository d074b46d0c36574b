package io.vaultgate.access;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterPatternStyle;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.OpenPaths;
import io.vaultgate.web.Problem;
import io.vaultgate.web.Problems;
import java.util.Map;
import java.util.Optional;

/**
 * Every path needs a bearer token but the health probes ({@code /health}, {@code /health/liveness},
 * {@code /health/readiness}), which orchestrators call without credentials and which show no
 * details, the API contract ({@code /openapi.yml}), which holds nothing of this installation, and
 * the web console ({@code /console}), whose session cookie carries the token to the same lookup
 * ({@link TokenAuthentication}).
 * An unknown, expired or missing token answers 401 with the same words whatever the
 * reason, so the answer reveals nothing about tokens or resources. A token that cannot be one
 * (RFC 6750's token syntax, 1 KiB at most) is refused without asking Vault, and a source that
 * presents too many unknown tokens is refused with 429 before Vault is asked about more
 * ({@link LookupGuard}). Paths outside {@code /v1/} are management endpoints (only
 * {@code /prometheus} is on): they need an admin or a metrics reader, so an endpoint turned on
 * later is never open to any token.
 */
@ServerFilter(patterns = OpenPaths.BEARER_PATHS, patternStyle = FilterPatternStyle.REGEX)
class BearerTokenFilter implements Ordered {

    private static final String API = "/v1/";

    static final String CALLER = "vaultgate.caller";
    static final String TOKEN_INFO = "vaultgate.token-info";

    private final TokenAuthentication authentication;

    BearerTokenFilter(TokenAuthentication authentication) {
        this.authentication = authentication;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<Problem> authenticate(HttpRequest<?> request) {
        Optional<CallerToken> bearer = BearerTokens.of(request);
        Optional<Caller> caller;
        try {
            caller = bearer.flatMap(token -> authentication.authenticate(request, token));
        } catch (LookupThrottledException throttled) {
            return Problems.response(
                            request,
                            ErrorCode.RATE_LIMITED,
                            "Too many unknown tokens from this address; " + "retry in a second.",
                            null,
                            Map.of())
                    .header("Retry-After", "1");
        }
        if (caller.isEmpty()) {
            return Problems.response(
                    request,
                    ErrorCode.UNAUTHENTICATED,
                    "Send a valid token as 'Authorization: Bearer <token>'.",
                    null,
                    Map.of());
        }
        if (!request.getPath().startsWith(API)) {
            authentication.requireMetricsReader(caller.get());
        }
        return null;
    }

    /**
     * Before the chunked-body count ({@code web.ChunkedBodyFilter}, order 1), which waits for the
     * whole body: a caller without a valid token is answered before its body is waited for.
     */
    @Override
    public int getOrder() {
        return 0;
    }
}
