package io.vaultgate.delivery;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Access;
import io.vaultgate.access.Caller;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.ProblemResponses;
import io.vaultgate.web.Rfc3339;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/env/fallback-boots}: {@code vaultgate run} booted its command from its encrypted
 * fallback file while the gateway was unreachable, and reports it once it reaches the gateway
 * again, with the same workload token, so the rollout ledger shows that instance and its revision.
 */
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/env/fallback-boots")
@ExecuteOn(TaskExecutors.BLOCKING)
class FallbackBootController {

    private static final Pattern REVISION = Pattern.compile(ETags.REVISION_PATTERN);

    private final Catalog catalog;
    private final RolloutRecorder rollout;

    FallbackBootController(Catalog catalog, RolloutRecorder rollout) {
        this.catalog = catalog;
        this.rollout = rollout;
    }

    /**
     * @param instance the instance's id, as it sends in Vaultgate-Instance; absent: the token's accessor stands for it
     * @param revision the revision of the fallback file it booted from
     * @param bootedAt when it booted from it (a time in the future counts as now)
     */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record FallbackBoot(
            @Schema(pattern = InstanceIds.PATTERN, maxLength = 128) @Nullable
            String instance,

            @Schema(pattern = ETags.REVISION_PATTERN, requiredMode = Schema.RequiredMode.REQUIRED)
            String revision,

            // Read by Rfc3339, not Jackson: every RFC 3339 offset is a valid time here.
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time")
            String bootedAt) {}

    /** Records that an instance of the caller's deployment booted from a fallback file (a workload token). */
    @Operation(operationId = "reportFallbackBoot")
    @Post
    @ApiResponse(responseCode = "202", description = "Noted; the rollout ledger shows it after its next flush.")
    @ProblemResponses.Body
    HttpResponse<Void> report(@Body FallbackBoot body, @Bound Caller caller) {
        Caller.Workload workload = Access.requireWorkload(caller);
        String instance = InstanceIds.checked(body.instance(), "instance");
        if (body.revision() == null || !REVISION.matcher(body.revision()).matches()) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST, "revision is the 64 hex digits of an ETag of GET /v1/env.", "revision");
        }
        Instant bootedAt = Rfc3339.instant(body.bootedAt())
                .orElseThrow(() -> new ApiException(
                        ErrorCode.INVALID_REQUEST, "bootedAt is when the instance booted (RFC 3339).", "bootedAt"));
        DeploymentRef deployment = catalog.findDeploymentRef(
                        workload.project(), workload.environment(), workload.service())
                .orElseThrow(() -> new ApiException(
                        ErrorCode.DEPLOYMENT_NOT_FOUND, "This token's deployment is no longer registered."));
        rollout.bootedFromFallback(deployment.deploymentId(), instance, caller.accessor(), body.revision(), bootedAt);
        return HttpResponse.status(HttpStatus.ACCEPTED);
    }
}
