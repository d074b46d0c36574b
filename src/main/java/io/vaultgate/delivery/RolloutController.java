package io.vaultgate.delivery;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Caller;
import io.vaultgate.scope.Slugs;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ProblemResponses;

/** {@code GET /v1/projects/{p}/rollout}: whether every live instance runs its deployment's current revision. */
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/projects/{project}/rollout")
@ExecuteOn(TaskExecutors.BLOCKING)
class RolloutController {

    private final Rollout rollout;

    RolloutController(Rollout rollout) {
        this.rollout = rollout;
    }

    /**
     * Per deployment, its current revision and the revisions its live instances booted with;
     * stale when one of them holds another. Whoever may read the project's metadata may read this.
     */
    @Operation(operationId = "getRollout")
    @Get
    @ApiResponse(
            responseCode = "200",
            description = "The project's deployments (or one environment's) and their live instances.",
            useReturnTypeSchema = true)
    Rollout.RolloutView get(
            @PathVariable String project,
            @Parameter(description = "Only this environment's deployments.", schema = @Schema(pattern = Slugs.PATTERN))
                    @QueryValue
                    @Nullable
                    String environment,
            @Bound Caller caller) {
        return rollout.of(caller, project, environment);
    }
}
