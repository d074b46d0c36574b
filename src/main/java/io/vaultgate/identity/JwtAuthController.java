package io.vaultgate.identity;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.web.Admission;
import io.vaultgate.web.ProblemResponses;
import io.vaultgate.web.RequestIds;
import java.time.Instant;

/**
 * {@code POST /v1/auth/jwt}: a JWT from an issuer a deployment is bound to, exchanged for a
 * workload token of that deployment. It takes no bearer token: the JWT is the credential.
 */
@ProblemResponses
@ProblemResponses.BadRequest
@Controller("/v1/auth/jwt")
@ExecuteOn(TaskExecutors.BLOCKING)
class JwtAuthController {

    private final JwtExchange exchange;
    private final Admission admission;

    JwtAuthController(JwtExchange exchange, Admission admission) {
        this.exchange = exchange;
        this.admission = admission;
    }

    /** @param jwt the JWT, as its issuer signed it (a Kubernetes service account token, a CI provider's OIDC token) */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record JwtBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = JwtExchange.MAX_JWT_LENGTH)
            String jwt) {
        @Override
        public String toString() {
            return "JwtBody[jwt=redacted]";
        }
    }

    /** A workload token, shown once, and the deployment it is of. */
    record Exchanged(
            String token, String accessor, Instant expiresAt, String project, String environment, String service) {
        @Override
        public String toString() {
            return "Exchanged[token=redacted, accessor=" + accessor + "]";
        }
    }

    /** Exchanges a JWT for a workload token of the deployment bound to its identity. */
    @Operation(
            operationId = "exchangeJwt",
            security = {})
    @Post
    @ApiResponse(responseCode = "200", description = "The token, shown this once.", useReturnTypeSchema = true)
    @ProblemResponses.Body
    Exchanged exchange(HttpRequest<?> request, @Body JwtBody body) {
        // The body is in: only now does the exchange take one of the replica's permits (AdmissionFilter exempts it).
        JwtExchange.Exchanged exchanged =
                admission.whileAdmitted(() -> exchange.exchange(body.jwt(), RequestIds.of(request)));
        return new Exchanged(
                exchanged.minted().token(),
                exchanged.minted().accessor(),
                exchanged.minted().expiresAt(),
                exchanged.deployment().project(),
                exchanged.deployment().environment(),
                exchanged.deployment().service());
    }
}
