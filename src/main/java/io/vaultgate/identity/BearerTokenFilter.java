package io.vaultgate.identity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vaultgate.vault.TokenInfo;
import io.vaultgate.vault.TokenIntrospection;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.Problem;
import io.vaultgate.web.Problems;
import java.util.Map;
import java.util.Optional;

/**
 * Every API path needs a bearer token. An unknown, expired or missing token answers 401 with the
 * same words whatever the reason, so the answer reveals nothing about tokens or resources.
 * Health probes stay open: orchestrators call them without credentials, and they show no details.
 */
@ServerFilter(patterns = {"/v1/**", "/prometheus/**", "/prometheus"})
class BearerTokenFilter {

    static final String CALLER = "vaultgate.caller";
    static final String TOKEN_INFO = "vaultgate.token-info";

    private final TokenIntrospection tokens;
    private final AuthProperties properties;
    private final DeploymentPolicies deploymentPolicies;

    BearerTokenFilter(TokenIntrospection tokens, AuthProperties properties, DeploymentPolicies deploymentPolicies) {
        this.tokens = tokens;
        this.properties = properties;
        this.deploymentPolicies = deploymentPolicies;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<Problem> authenticate(HttpRequest<?> request) {
        Optional<TokenInfo> info = BearerTokens.of(request).flatMap(token -> tokens.lookup(token.token()));
        if (info.isEmpty()) {
            return Problems.response(request, ErrorCode.UNAUTHENTICATED,
                    "Send a valid token as 'Authorization: Bearer <token>'.", null, Map.of())
                    .header("WWW-Authenticate", "Bearer");
        }
        request.setAttribute(CALLER, Access.callerOf(info.get(), properties, deploymentPolicies));
        request.setAttribute(TOKEN_INFO, info.get());
        return null;
    }
}
