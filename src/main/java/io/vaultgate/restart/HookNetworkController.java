package io.vaultgate.restart;

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
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.ProblemResponses;
import java.util.List;

/**
 * A project's hook networks: {@code PUT} by an admin only (it decides which internal networks
 * the project's hooks can reach), {@code GET} by an admin or the project's admin.
 */
@RateLimited
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/projects/{project}/hook-networks")
@ExecuteOn(TaskExecutors.BLOCKING)
class HookNetworkController {

    private final ProjectNetworks networks;

    HookNetworkController(ProjectNetworks networks) {
        this.networks = networks;
    }

    /** @param allowedPrivate networks ({@code 10.0.0.0/8}) and host names ({@code deploy.internal}) hooks may reach */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record NetworksBody(
            @ArraySchema(maxItems = HookNetworks.MAX_ENTRIES, items = @Schema(minLength = 1))
            List<String> allowedPrivate) {}

    record NetworksView(String project, List<String> allowedPrivate) {}

    /** Replaces the private networks the project's hooks may reach (admin only). */
    @Operation(operationId = "replaceHookNetworks")
    @Put
    @ApiResponse(
            responseCode = "200",
            description = "The private networks the project's hooks may now reach.",
            useReturnTypeSchema = true)
    @ProblemResponses.Body
    @ProblemResponses.Conflict
    NetworksView replace(
            @PathVariable String project, @Body NetworksBody body, @Bound Caller caller, @Bound Actor actor) {
        Access.requireProjectReader(caller, project);
        Access.requireAdmin(caller);
        if (body.allowedPrivate() == null) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "Give allowedPrivate: a list of networks (10.0.0.0/8) and host names (deploy.internal).",
                    "allowedPrivate");
        }
        HookNetworks replaced = networks.replace(project, body.allowedPrivate(), actor);
        return new NetworksView(project, replaced.entries());
    }

    /** The private networks the project's hooks may reach. */
    @Operation(operationId = "getHookNetworks")
    @Get
    @ApiResponse(
            responseCode = "200",
            description = "The private networks the project's hooks may reach.",
            useReturnTypeSchema = true)
    NetworksView show(@PathVariable String project, @Bound Caller caller) {
        Access.requireProjectAdmin(caller, project);
        return new NetworksView(project, networks.show(project).entries());
    }
}
