package io.vaultgate.access;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterPatternStyle;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.OpenPaths;
import io.vaultgate.web.Problem;
import io.vaultgate.web.Problems;
import io.vaultgate.web.RequestIds;
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
    static final String EXCHANGED_TOKEN = "vaultgate.exchanged-token";

    private static final String ENV = "/v1/env";

    private final TokenAuthentication authentication;
    private final FederatedLogins logins;

    BearerTokenFilter(TokenAuthentication authentication, FederatedLogins logins) {
        this.authentication = authentication;
        this.logins = logins;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<Problem> authenticate(HttpRequest<?> request) {
        if (OpenPaths.isJwtExchange(request)) {
            // The JWT in the body is the credential: budgeted like an unknown token, before it is read.
            return authentication.admitUnknown(request) ? null : throttled(request);
        }
        Optional<CallerToken> presented = BearerTokens.of(request);
        if (presented.isPresent() && BearerTokens.isJwt(presented.get().token())) {
            return request.getMethod() == HttpMethod.GET && ENV.equals(request.getPath())
                    ? exchangeForOneFetch(request, presented.get())
                    : unauthenticated(request);
        }
        Optional<Caller> caller;
        try {
            caller = presented.flatMap(token -> authentication.authenticate(request, token));
        } catch (LookupThrottledException throttled) {
            return throttled(request);
        }
        if (caller.isEmpty()) {
            return unauthenticated(request);
        }
        if (!request.getPath().startsWith(API)) {
            authentication.requireMetricsReader(caller.get());
        }
        return null;
    }

    /**
     * A JWT on {@code GET /v1/env}: one workload token minted for this one fetch (a boot fetch's
     * worth of uses, {@code vaultgate.identity-federation.fetch-token-ttl}) and used for it, as if
     * the caller had exchanged the JWT first. Each such fetch mints, so it takes a permit of the
     * unknown-token budgets first; a workload that boots often exchanges once and fetches with the token.
     */
    private HttpResponse<Problem> exchangeForOneFetch(HttpRequest<?> request, CallerToken jwt) {
        if (!authentication.admitUnknown(request)) {
            return throttled(request);
        }
        FederatedLogins.Login login = logins.forOneFetch(jwt.token(), RequestIds.of(request));
        authentication.bind(request, login.info());
        request.setAttribute(EXCHANGED_TOKEN, login.token());
        return null;
    }

    private static MutableHttpResponse<Problem> throttled(HttpRequest<?> request) {
        return Problems.response(
                        request,
                        ErrorCode.RATE_LIMITED,
                        "Too many unknown tokens from this address; " + "retry in a second.",
                        null,
                        Map.of())
                .header("Retry-After", "1");
    }

    private static MutableHttpResponse<Problem> unauthenticated(HttpRequest<?> request) {
        return Problems.response(
                request,
                ErrorCode.UNAUTHENTICATED,
                "Send a valid token as 'Authorization: Bearer <token>'.",
                null,
                Map.of());
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
