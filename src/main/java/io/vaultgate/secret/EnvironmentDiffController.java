package io.vaultgate.secret;

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
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.scope.Slugs;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ProblemResponses;
import io.vaultgate.web.WriteFlags;

/** Two environments of a project compared, service by service, as their deployments resolve keys. */
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/projects/{project}/diff")
@ExecuteOn(TaskExecutors.BLOCKING)
class EnvironmentDiffController {

    private final EnvironmentDiff diff;

    EnvironmentDiffController(EnvironmentDiff diff) {
        this.diff = diff;
    }

    /**
     * Compares two environments: keys only one side resolves, keys resolved from different scopes, and
     * (admins, audited) whether two values are equal. Never a value.
     */
    @Operation(operationId = "compareEnvironments")
    @Get
    @ApiResponse(
            responseCode = "200",
            description = "Per service deployed in either environment, every key either deployment resolves"
                    + " and where from.",
            useReturnTypeSchema = true)
    DiffViews.Comparison compare(
            @PathVariable String project,
            @Schema(description = "The environment compared from.", pattern = Slugs.PATTERN) @QueryValue String from,
            @Schema(description = "The environment compared to; not the same as from.", pattern = Slugs.PATTERN)
                    @QueryValue
                    String to,
            @Schema(description = "Compare this service only.", pattern = Slugs.PATTERN) @QueryValue @Nullable
                    String service,
            @Schema(
                            description = "Also say, for each key both resolve, whether the two values are equal"
                                    + " (project admin; audited). A bare ?values is true.",
                            type = "boolean")
                    @Parameter(allowEmptyValue = true)
                    @QueryValue
                    @Nullable
                    String values,
            @Bound Caller caller,
            @Bound Actor actor) {
        return diff.compare(
                caller,
                actor,
                new EnvironmentDiff.Request(project, from, to, service, WriteFlags.flag("values", values)));
    }
}
