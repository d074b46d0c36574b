package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.ProblemResponses;

/**
 * Change-set drafts: open one, stage changes into it with {@code ?changeSet={id}} on the write
 * routes, review its operations, impact and conflicts, approve or reject it, release it now or not
 * before a time, or discard it. See docs/change-control.md.
 */
@RateLimited
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/projects/{project}/change-sets")
@ExecuteOn(TaskExecutors.BLOCKING)
class ChangeSetController {

    private final Drafts drafts;
    private final Releases releases;

    ChangeSetController(Drafts drafts, Releases releases) {
        this.drafts = drafts;
        this.releases = releases;
    }

    /** @param description what the draft is for, shown to reviewers */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record CreateBody(
            @Schema(maxLength = Drafts.MAX_DESCRIPTION, pattern = "^[^\\x00]*$") @Nullable
            String description) {}

    /** @param notBefore release at this time, not before (RFC 3339); absent or past: now */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record ReleaseBody(
            @Schema(format = "date-time") @Nullable String notBefore) {}

    /** @param revision the revision the approver reviewed; absent: the current one */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record ApproveBody(@Schema(minimum = "1") @Nullable Integer revision) {}

    /** Opens a change-set draft; stage changes into it with ?changeSet={id} on the write routes. */
    @Operation(operationId = "createChangeSet")
    @Post
    @ApiResponse(responseCode = "201", description = "The new draft.", useReturnTypeSchema = true)
    @ProblemResponses.Body
    HttpResponse<ChangeSetViews.DraftView> create(
            @PathVariable String project,
            @Body @Nullable CreateBody body,
            HttpRequest<?> request,
            @Bound Caller caller,
            @Bound Actor actor) {
        if (body == null && request.getContentLength() > 0) {
            // A body that is JSON null: not the object the route takes (no body at all is `{}`).
            throw new ApiException(ErrorCode.INVALID_JSON, "The body is a JSON object, or none; got null.");
        }
        return HttpResponse.created(drafts.create(caller, actor, project, body == null ? null : body.description()));
    }

    /** The project's change-set drafts: the open ones (draft, scheduled, releasing) unless state says otherwise. */
    @Operation(operationId = "listChangeSets")
    @Get
    @ApiResponse(responseCode = "200", description = "The drafts, newest first.", useReturnTypeSchema = true)
    ChangeSetViews.DraftList list(
            @PathVariable String project,
            @Schema(allowableValues = {"draft", "scheduled", "releasing", "released", "rejected", "discarded"})
                    @QueryValue
                    @Nullable
                    String state,
            @Bound Caller caller) {
        return drafts.list(caller, project, state);
    }

    /** One change-set draft: its operations (never values), approvals, and impact and conflicts as of now. */
    @Operation(operationId = "getChangeSet")
    @Get("/{id}")
    @ApiResponse(responseCode = "200", description = "The draft.", useReturnTypeSchema = true)
    ChangeSetViews.DraftView show(@PathVariable String project, @PathVariable String id, @Bound Caller caller) {
        return drafts.show(caller, project, id);
    }

    /**
     * Approves the draft at the revision the approver reviewed (409 {@code concurrent-change} when
     * the draft has moved on), or its current one; the author may not, unless every rule it
     * reaches allows it.
     */
    @Operation(operationId = "approveChangeSet")
    @Post("/{id}/approve")
    @ApiResponse(responseCode = "200", description = "Approved: the draft.", useReturnTypeSchema = true)
    @ProblemResponses.Body
    @ProblemResponses.Conflict
    ChangeSetViews.DraftView approve(
            @PathVariable String project,
            @PathVariable String id,
            @Body @Nullable ApproveBody body,
            @Bound Caller caller,
            @Bound Actor actor) {
        return drafts.approve(caller, actor, project, id, body == null ? null : body.revision());
    }

    /** Rejects the draft: it is closed, and its staged values are deleted. */
    @Operation(operationId = "rejectChangeSet")
    @Post("/{id}/reject")
    @ApiResponse(responseCode = "200", description = "Rejected: the draft.", useReturnTypeSchema = true)
    @ProblemResponses.Conflict
    ChangeSetViews.DraftView reject(
            @PathVariable String project, @PathVariable String id, @Bound Caller caller, @Bound Actor actor) {
        return drafts.reject(caller, actor, project, id);
    }

    /** Releases the draft as one change-set, now or not before a time. */
    @Operation(operationId = "releaseChangeSet")
    @Post("/{id}/release")
    @ApiResponse(
            responseCode = "200",
            description = "Released (or released before): the draft, its changeSetId and restarts.",
            useReturnTypeSchema = true)
    @ApiResponse(
            responseCode = "202",
            description = "Scheduled: released by the gateway once notBefore has passed.",
            useReturnTypeSchema = true)
    @ProblemResponses.Body
    @ProblemResponses.Conflict
    HttpResponse<ChangeSetViews.DraftView> release(
            @PathVariable String project,
            @PathVariable String id,
            @Body @Nullable ReleaseBody body,
            @Bound Caller caller,
            @Bound Actor actor) {
        Releases.Answer answer = releases.release(caller, actor, project, id, body == null ? null : body.notBefore());
        return HttpResponse.<ChangeSetViews.DraftView>status(answer.scheduled() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .body(answer.view());
    }

    /** Discards the draft: it is closed, and its staged values are deleted. */
    @Operation(operationId = "discardChangeSet")
    @Delete("/{id}")
    @ApiResponse(responseCode = "200", description = "Discarded: the draft.", useReturnTypeSchema = true)
    @ProblemResponses.Conflict
    ChangeSetViews.DraftView discard(
            @PathVariable String project, @PathVariable String id, @Bound Caller caller, @Bound Actor actor) {
        return drafts.discard(caller, actor, project, id);
    }
}
