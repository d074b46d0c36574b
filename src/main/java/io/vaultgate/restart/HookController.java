package io.vaultgate.restart;

import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.JsonBodies;
import io.vaultgate.web.RequestIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A project's restart hooks: register (the signing secret is answered once), list, remove, deliveries. */
@RateLimited
@Controller("/v1/projects/{project}/hooks")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
class HookController {

    private final Hooks hooks;

    HookController(Hooks hooks) {
        this.hooks = hooks;
    }

    record HookView(String id, String url, List<String> environments, boolean enabled, @Nullable String disabledReason,
                    Instant createdAt) {

        static HookView of(Webhook hook) {
            return new HookView(hook.hookId(), hook.url(), hook.environmentList(), hook.enabled(),
                    hook.disabledReason(), hook.createdAt());
        }
    }

    /** The registration answer: the hook and, this once, its signing secret. */
    record CreatedHook(String id, String url, List<String> environments, boolean enabled, Instant createdAt,
                       String secret) {
        @Override
        public String toString() {
            return "CreatedHook[id=" + id + ", secret=redacted]";
        }
    }

    /** {@code error}: a {@link DeliveryError} class such as {@code connection-failed}, never an exception's text. */
    record AttemptView(int attempt, Instant at, @Nullable Integer statusCode, @Nullable String error, long durationMs) {
    }

    record DeliveryView(String id, String eventId, String environment, String service, List<String> keys,
                        String status, int attempts, Instant nextAttemptAt, @Nullable Integer lastStatusCode,
                        @Nullable String lastError, Instant createdAt, @Nullable Instant deliveredAt,
                        List<AttemptView> attemptLog) {
    }

    @Post
    HttpResponse<CreatedHook> register(HttpRequest<?> request, Caller caller, String project, @Body @Nullable String body) {
        Access.requireProjectAdmin(caller, project);
        JsonNode parsed = JsonBodies.parse(body, JsonNode.class);
        if (!parsed.path("url").isTextual()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "Give the hook's url as a string.", "url");
        }
        List<String> environments = new ArrayList<>();
        JsonNode listed = parsed.path("environments");
        if (!listed.isMissingNode() && !listed.isNull()) {
            if (!listed.isArray()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "environments is a list of environment names.",
                        "environments");
            }
            listed.forEach(node -> environments.add(node.asText()));
        }
        parsed.fieldNames().forEachRemaining(field -> {
            if (!field.equals("url") && !field.equals("environments")) {
                throw JsonBodies.unknownField(field);
            }
        });
        Hooks.Registered registered = hooks.register(project, parsed.path("url").asText(), environments,
                actor(caller, request));
        Webhook hook = registered.hook();
        return HttpResponse.status(HttpStatus.CREATED).body(new CreatedHook(hook.hookId(), hook.url(),
                hook.environmentList(), hook.enabled(), hook.createdAt(), registered.secret().plaintext()));
    }

    @Get
    List<HookView> list(Caller caller, String project) {
        Access.requireProjectAdmin(caller, project);
        return hooks.list(project).stream().map(HookView::of).toList();
    }

    @Delete("/{hookId}")
    HttpResponse<?> remove(HttpRequest<?> request, Caller caller, String project, String hookId) {
        Access.requireProjectAdmin(caller, project);
        hooks.remove(project, hookId, actor(caller, request));
        return HttpResponse.noContent();
    }

    @Get("/{hookId}/deliveries")
    List<DeliveryView> deliveries(Caller caller, String project, String hookId, @QueryValue @Nullable Integer limit) {
        Access.requireProjectAdmin(caller, project);
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > 1000) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "limit is 1 to 1000.", "limit");
        }
        return hooks.deliveries(project, hookId, max).stream().map(log -> new DeliveryView(
                log.delivery().deliveryId(), log.event().eventId(), log.event().environment(), log.event().service(),
                log.event().keys(), log.delivery().status().wireName(), log.delivery().attempts(), log.delivery().nextAttemptAt(),
                log.delivery().lastStatusCode(), wireName(log.delivery().lastError()), log.delivery().createdAt(),
                log.delivery().deliveredAt(),
                log.attempts().stream().map(a -> new AttemptView(a.attempt(), a.attemptedAt(), a.statusCode(),
                        wireName(a.error()), a.durationMs())).toList())).toList();
    }

    /** A redelivery: a new delivery of the same event, due now. */
    record Redelivery(String id, String eventId, String status, Instant nextAttemptAt) {
    }

    @Post("/{hookId}/deliveries/{deliveryId}/redeliver")
    HttpResponse<Redelivery> redeliver(HttpRequest<?> request, Caller caller, String project, String hookId,
                                         String deliveryId) {
        Access.requireProjectAdmin(caller, project);
        WebhookDelivery again = hooks.redeliver(project, hookId, deliveryId, actor(caller, request));
        return HttpResponse.status(HttpStatus.ACCEPTED).body(new Redelivery(again.deliveryId(), again.eventId(),
                again.status().wireName(), again.nextAttemptAt()));
    }

    private static String wireName(DeliveryError error) {
        return error == null ? null : error.wireName();
    }

    private static Actor actor(Caller caller, HttpRequest<?> request) {
        return Actor.of(caller, RequestIds.of(request));
    }
}
