package io.vaultgate.identity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ProblemResponses;
import java.util.Map;

/** Binding a deployment to an external identity (an OIDC/JWT issuer, audience and claims). */
@RateLimited
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/projects/{project}/environments/{environment}/services/{service}/identity")
@ExecuteOn(TaskExecutors.BLOCKING)
class IdentityBindingController {

    private final IdentityBindings bindings;

    IdentityBindingController(IdentityBindings bindings) {
        this.bindings = bindings;
    }

    /**
     * @param issuer   the JWT's {@code iss}, exactly
     * @param jwksUrl  where the issuer's key set is fetched: under one of
     *                 vaultgate.identity-federation.allowed-jwks-urls; or give {@code jwks}
     * @param jwks     a static JWK set of public RSA, EC or OKP keys, instead of {@code jwksUrl}
     * @param audience a value the JWT's {@code aud} must hold
     * @param claims   claims the JWT must hold with exactly these values (a list claim: among its
     *                 members), such as {@code sub}; not iss, aud, exp, nbf, iat or jti
     */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record BindingBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = 255)
            String issuer,

            @Schema(maxLength = 2048) @Nullable String jwksUrl,

            @Nullable Map<String, Object> jwks,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = 512)
            String audience,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minProperties = 1, maxProperties = 16)
            Map<String, String> claims) {}

    /** Binds the deployment to an external identity, replacing the one it had. */
    @Operation(operationId = "bindIdentity")
    @Put
    @ApiResponse(responseCode = "200", description = "The binding as stored.", useReturnTypeSchema = true)
    @ProblemResponses.Body
    @ProblemResponses.Conflict
    IdentityBindings.View bind(
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String service,
            @Body BindingBody body,
            @Bound Caller caller,
            @Bound Actor actor) {
        return bindings.bind(
                caller,
                actor,
                project,
                environment,
                service,
                new IdentityBindings.Request(
                        body.issuer(), body.jwksUrl(), body.jwks(), body.audience(), body.claims()));
    }

    /** The external identity the deployment is bound to. */
    @Operation(operationId = "getIdentity")
    @Get
    @ApiResponse(responseCode = "200", description = "The binding.", useReturnTypeSchema = true)
    IdentityBindings.View get(
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String service,
            @Bound Caller caller) {
        return bindings.get(caller, project, environment, service);
    }

    /** Removes the deployment's binding; tokens already exchanged live on until they expire or are revoked. */
    @Operation(operationId = "unbindIdentity")
    @Delete
    @ApiResponse(responseCode = "204", description = "Unbound.")
    HttpResponse<Void> unbind(
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String service,
            @Bound Caller caller,
            @Bound Actor actor) {
        bindings.unbind(caller, actor, project, environment, service);
        return HttpResponse.noContent();
    }
}
