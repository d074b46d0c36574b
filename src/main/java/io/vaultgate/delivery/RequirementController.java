package io.vaultgate.delivery;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.scope.KeyNames;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ProblemResponses;
import java.util.List;

/** Declaring the keys a service needs, and checking a deployment against them. */
@RateLimited
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/projects/{project}")
@ExecuteOn(TaskExecutors.BLOCKING)
class RequirementController {

    private final Requirements requirements;

    RequirementController(Requirements requirements) {
        this.requirements = requirements;
    }

    /**
     * @param keys every key the service needs, replacing what it needed before; at most
     *     vaultgate.limits.import-keys (the schema states its default)
     */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record KeysBody(
            @ArraySchema(maxItems = 5000, items = @Schema(pattern = KeyNames.PATTERN))
            List<String> keys) {}

    /** Replaces the keys a service requires. */
    @Operation(operationId = "putRequirements")
    @Put("/services/{service}/requirements")
    @ApiResponse(responseCode = "200", description = "The keys the service now requires.", useReturnTypeSchema = true)
    @ProblemResponses.Body
    @ProblemResponses.Conflict
    Requirements.RequirementsView put(
            @PathVariable String project,
            @PathVariable String service,
            @Body KeysBody body,
            @Bound Caller caller,
            @Bound Actor actor) {
        return requirements.put(caller, actor, project, service, body.keys());
    }

    /** The keys a service requires. */
    @Operation(operationId = "getRequirements")
    @Get("/services/{service}/requirements")
    @ApiResponse(responseCode = "200", description = "The keys the service requires.", useReturnTypeSchema = true)
    Requirements.RequirementsView get(
            @PathVariable String project, @PathVariable String service, @Bound Caller caller) {
        return requirements.get(caller, project, service);
    }

    /** The keys a deployment requires but cannot resolve. */
    @Operation(operationId = "checkRequirements")
    @Get("/environments/{environment}/services/{service}/check")
    @ApiResponse(
            responseCode = "200",
            description = "The keys the deployment requires, and those it cannot resolve.",
            useReturnTypeSchema = true)
    Requirements.CheckView check(
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String service,
            @Bound Caller caller) {
        return requirements.check(caller, project, environment, service);
    }
}
