package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
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
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.scope.Slugs;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.ProblemResponses;
import java.time.Instant;
import java.util.List;

/** A project's restart hooks: register (the signing secret is answered once), list, remove, deliveries. */
@RateLimited
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/projects/{project}/hooks")
@ExecuteOn(TaskExecutors.BLOCKING)
class HookController {

    private final Hooks hooks;

    HookController(Hooks hooks) {
        this.hooks = hooks;
    }

    record HookView(
            String id,
            String url,
            List<String> environments,
            boolean enabled,
            @Nullable String disabledReason,
            Instant createdAt) {

        static HookView of(Webhook hook) {
            return new HookView(
                    hook.hookId(),
                    hook.url(),
                    hook.environmentList(),
                    hook.enabled(),
                    hook.disabledReason(),
                    hook.createdAt());
        }
    }

    /** The registration answer: the hook and, this once, its signing secret. */
    record CreatedHook(
            String id, String url, List<String> environments, boolean enabled, Instant createdAt, String secret) {
        @Override
        public String toString() {
            return "CreatedHook[id=" + id + ", secret=redacted]";
        }
    }

    /** {@code error}: a {@link DeliveryError} class such as {@code connection-failed}, never an exception's text. */
    record AttemptView(
            int attempt,
            Instant at,
            @Nullable Integer statusCode,
            @Nullable String error,
            long durationMs) {}

    record DeliveryView(
            String id,
            String eventId,
            String environment,
            String service,
            List<String> keys,
            String status,
            int attempts,
            Instant nextAttemptAt,
            @Nullable Integer lastStatusCode,
            @Nullable String lastError,
            Instant createdAt,
            @Nullable Instant deliveredAt,
            List<AttemptView> attemptLog) {}

    /**
     * @param url          where restart events are posted (https, or a network the project's hook networks allow)
     * @param environments the environments whose deployments it hears of; absent or empty for all
     */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record RegisterBody(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    format = "uri",
                    pattern = "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@]+([/?][^#]*)?$")
            String url,

            @ArraySchema(items = @Schema(pattern = Slugs.PATTERN)) @Nullable
            List<String> environments) {}

    /** Registers a hook; its signing secret is answered this once. */
    @Operation(operationId = "registerHook")
    @Post
    @ApiResponse(responseCode = "201", description = "Registered, with its signing secret.", useReturnTypeSchema = true)
    @ProblemResponses.Body
    @ProblemResponses.Conflict
    HttpResponse<CreatedHook> register(
            @PathVariable String project, @Body RegisterBody body, @Bound Caller caller, @Bound Actor actor) {
        Access.requireProjectAdmin(caller, project);
        if (body.url() == null) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "Give the hook's url as a string.", "url");
        }
        List<String> environments = body.environments() == null ? List.of() : body.environments();
        if (environments.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST, "environments is a list of environment names.", "environments");
        }
        Hooks.Registered registered = hooks.register(project, body.url(), environments, actor);
        Webhook hook = registered.hook();
        return HttpResponse.status(HttpStatus.CREATED)
                .body(new CreatedHook(
                        hook.hookId(),
                        hook.url(),
                        hook.environmentList(),
                        hook.enabled(),
                        hook.createdAt(),
                        registered.secret().plaintext()));
    }

    /** The project's hooks (removed ones are not listed). */
    @Operation(operationId = "listHooks")
    @Get
    @ApiResponse(responseCode = "200", description = "The project's hooks.", useReturnTypeSchema = true)
    List<HookView> list(@PathVariable String project, @Bound Caller caller) {
        Access.requireProjectAdmin(caller, project);
        return hooks.list(project).stream().map(HookView::of).toList();
    }

    /** Removes a hook; its pending deliveries are cancelled. */
    @Operation(operationId = "removeHook")
    @Delete("/{hookId}")
    @ApiResponse(responseCode = "204", description = "Removed.")
    HttpResponse<Void> remove(
            @PathVariable String project, @PathVariable String hookId, @Bound Caller caller, @Bound Actor actor) {
        Access.requireProjectAdmin(caller, project);
        hooks.remove(project, hookId, actor);
        return HttpResponse.noContent();
    }

    /** A hook's deliveries, newest first, each with its attempts. */
    @Operation(operationId = "listHookDeliveries")
    @Get("/{hookId}/deliveries")
    @ApiResponse(
            responseCode = "200",
            description = "The hook's deliveries, newest first, each with its attempts.",
            useReturnTypeSchema = true)
    List<DeliveryView> deliveries(
            @PathVariable String project,
            @PathVariable String hookId,
            @Schema(minimum = "1", maximum = "1000") @Parameter(allowEmptyValue = true) @QueryValue @Nullable
                    Integer limit,
            @Bound Caller caller) {
        Access.requireProjectAdmin(caller, project);
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > 1000) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "limit is 1 to 1000.", "limit");
        }
        return hooks.deliveries(project, hookId, max).stream()
                .map(log -> new DeliveryView(
                        log.delivery().deliveryId(),
                        log.event().eventId(),
                        log.event().environment(),
                        log.event().service(),
                        log.event().keys(),
                        log.delivery().status().wireName(),
                        log.delivery().attempts(),
                        log.delivery().nextAttemptAt(),
                        log.delivery().lastStatusCode(),
                        wireName(log.delivery().lastError()),
                        log.delivery().createdAt(),
                        log.delivery().deliveredAt(),
                        log.attempts().stream()
                                .map(a -> new AttemptView(
                                        a.attempt(),
                                        a.attemptedAt(),
                                        a.statusCode(),
                                        wireName(a.error()),
                                        a.durationMs()))
                                .toList()))
                .toList();
    }

    /** A redelivery: a new delivery of the same event, due now. */
    record Redelivery(String id, String eventId, String status, Instant nextAttemptAt) {}

    /** Sends a delivery's event again, as a new delivery due now. */
    @Operation(operationId = "redeliverHookDelivery")
    @Post("/{hookId}/deliveries/{deliveryId}/redeliver")
    @ApiResponse(responseCode = "202", description = "Queued.", useReturnTypeSchema = true)
    HttpResponse<Redelivery> redeliver(
            @PathVariable String project,
            @PathVariable String hookId,
            @PathVariable String deliveryId,
            @Bound Caller caller,
            @Bound Actor actor) {
        Access.requireProjectAdmin(caller, project);
        WebhookDelivery again = hooks.redeliver(project, hookId, deliveryId, actor);
        return HttpResponse.status(HttpStatus.ACCEPTED)
                .body(new Redelivery(
                        again.deliveryId(), again.eventId(), again.status().wireName(), again.nextAttemptAt()));
    }

    private static String wireName(DeliveryError error) {
        return error == null ? null : error.wireName();
    }
}
