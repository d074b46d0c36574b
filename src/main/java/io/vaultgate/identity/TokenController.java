package io.vaultgate.identity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.scope.Slugs;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ProblemResponses;
import java.util.List;

/** Minting and revoking workload and operator tokens. Answers carry a token once; nothing stores it. */
@ProblemResponses
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
class TokenController {

    private final WorkloadTokens workloadTokens;
    private final OperatorTokens operatorTokens;

    TokenController(WorkloadTokens workloadTokens, OperatorTokens operatorTokens) {
        this.workloadTokens = workloadTokens;
        this.operatorTokens = operatorTokens;
    }

    /**
     * @param ttlSeconds how long the token lives: 15 minutes by default, at most vaultgate.tokens.workload-max-ttl
     *                   (the schema states its default)
     * @param numUses    how many boot fetches it may make, at most vaultgate.tokens.max-num-uses (the schema states
     *                   its default); 0 or absent for unlimited
     */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record MintBody(
            @Schema(minimum = "1", maximum = "3600") @Nullable
            Integer ttlSeconds,

            @Schema(minimum = "0", maximum = "1000") @Nullable
            Integer numUses) {}

    /**
     * @param role       {@code project-admin} or {@code deployer}
     * @param ttlSeconds how long the token lives: 1 hour by default, at most vaultgate.tokens.operator-max-ttl (the
     *                   schema states its default)
     * @param name       who the token is for, part of its display name (change-set approvals tell people apart by it)
     */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record OperatorBody(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"project-admin", "deployer"})
            String role,

            @Schema(minimum = "1", maximum = "86400") @Nullable
            Integer ttlSeconds,

            @Schema(pattern = Slugs.PATTERN) @Nullable String name) {}

    record RevokedAll(String project, String environment, String service, int revoked, List<String> accessors) {}

    /** Mints a workload token for a deployment; the body may be omitted for the defaults. */
    @Operation(operationId = "mintWorkloadToken")
    @Post("/projects/{project}/environments/{environment}/services/{service}/tokens")
    @ApiResponse(responseCode = "201", description = "The token, shown this once.", useReturnTypeSchema = true)
    @ProblemResponses.Body
    @ProblemResponses.NotFound
    HttpResponse<WorkloadTokens.Minted> mint(
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String service,
            @Body @Nullable MintBody body,
            @Bound Caller caller,
            @Bound Actor actor) {
        MintBody asked = body == null ? new MintBody(null, null) : body;
        return HttpResponse.created(
                workloadTokens.mint(caller, actor, project, environment, service, asked.ttlSeconds(), asked.numUses()));
    }

    /** Revokes one token this gateway minted, by its accessor. */
    @Operation(operationId = "revokeToken")
    @Delete("/tokens/{accessor}")
    @ApiResponse(responseCode = "204", description = "Revoked (or already dead).")
    @ProblemResponses.NotFound
    HttpResponse<Void> revoke(@PathVariable String accessor, @Bound Caller caller, @Bound Actor actor) {
        workloadTokens.revoke(caller, actor, accessor);
        return HttpResponse.noContent();
    }

    /** Revokes every token of a deployment that may still work. */
    @Operation(operationId = "revokeWorkloadTokens")
    @Delete("/projects/{project}/environments/{environment}/services/{service}/tokens")
    @ApiResponse(responseCode = "200", description = "The tokens revoked, by accessor.", useReturnTypeSchema = true)
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    RevokedAll revokeAll(
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String service,
            @Bound Caller caller,
            @Bound Actor actor) {
        List<String> accessors = workloadTokens.revokeAll(caller, actor, project, environment, service);
        return new RevokedAll(project, environment, service, accessors.size(), accessors);
    }

    /** Mints a project admin or deployer token (admin only). */
    @Operation(operationId = "mintOperatorToken")
    @Post("/projects/{project}/operator-tokens")
    @ApiResponse(responseCode = "201", description = "The token, shown this once.", useReturnTypeSchema = true)
    @ProblemResponses.Body
    @ProblemResponses.NotFound
    HttpResponse<OperatorTokens.MintedOperator> mintOperator(
            @PathVariable String project, @Body OperatorBody body, @Bound Caller caller, @Bound Actor actor) {
        return HttpResponse.created(
                operatorTokens.mint(caller, actor, project, body.role(), body.ttlSeconds(), body.name()));
    }
}
