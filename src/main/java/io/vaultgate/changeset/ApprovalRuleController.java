package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
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

/** The approvals a change-set draft needs per environment type it reaches. */
@RateLimited
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/projects/{project}/approval-rules")
@ExecuteOn(TaskExecutors.BLOCKING)
class ApprovalRuleController {

    private final ApprovalRules rules;

    ApprovalRuleController(ApprovalRules rules) {
        this.rules = rules;
    }

    /**
     * @param approvals        approvals a draft reaching this type needs, from people other than its author
     * @param authorMayApprove whether the author's own approval counts (false unless set)
     */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record RuleBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "10")
            Integer approvals,

            @Nullable Boolean authorMayApprove) {}

    /** The approval rule of every environment type (0 approvals unless set). */
    @Operation(operationId = "listApprovalRules")
    @Get
    @ApiResponse(responseCode = "200", description = "The rules.", useReturnTypeSchema = true)
    ChangeSetViews.Rules list(@PathVariable String project, @Bound Caller caller) {
        return rules.get(caller, project);
    }

    /** Sets the approval rule of one environment type; a gateway admin only. */
    @Operation(operationId = "putApprovalRule")
    @Put("/{environmentType}")
    @ApiResponse(responseCode = "200", description = "The rules, this one set.", useReturnTypeSchema = true)
    @ProblemResponses.Body
    ChangeSetViews.Rules put(
            @PathVariable String project,
            @Schema(allowableValues = {"production", "staging", "development", "preview", "local"}) @PathVariable
                    String environmentType,
            @Body RuleBody body,
            @Bound Caller caller,
            @Bound Actor actor) {
        return rules.put(
                caller,
                actor,
                project,
                environmentType,
                body.approvals(),
                Boolean.TRUE.equals(body.authorMayApprove()));
    }
}
