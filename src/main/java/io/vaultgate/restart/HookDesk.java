package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * A project's hooks for callers outside this package (the console): the same {@link Hooks}
 * operations as {@code HookController}, behind the same project-admin rule, answered as public
 * values. The signing secret of a registration is answered once and never listed.
 */
@Singleton
public class HookDesk {

    private final Hooks hooks;

    HookDesk(Hooks hooks) {
        this.hooks = hooks;
    }

    public record Hook(
            String id,
            String url,
            List<String> environments,
            boolean enabled,
            @Nullable String disabledReason,
            Instant createdAt) {}

    /** A registration: the hook, and this once its signing secret. */
    public record Registered(Hook hook, String secret) {
        @Override
        public String toString() {
            return "Registered[hook=" + hook.id() + ", secret=redacted]";
        }
    }

    /** {@code error}: a delivery error class such as {@code connection-failed}, never an exception's text. */
    public record Attempt(
            int attempt,
            Instant at,
            @Nullable Integer statusCode,
            @Nullable String error,
            long durationMs) {}

    public record Delivery(
            String id,
            String eventId,
            String environment,
            String service,
            List<String> keys,
            String status,
            int attempts,
            @Nullable Integer lastStatusCode,
            @Nullable String lastError,
            Instant createdAt,
            @Nullable Instant deliveredAt,
            List<Attempt> attemptLog) {}

    public Registered register(Caller caller, Actor actor, String project, String url, List<String> environments) {
        Access.requireProjectAdmin(caller, project);
        Hooks.Registered registered = hooks.register(project, url, environments, actor);
        return new Registered(hook(registered.hook()), registered.secret().plaintext());
    }

    public List<Hook> list(Caller caller, String project) {
        Access.requireProjectAdmin(caller, project);
        return hooks.list(project).stream().map(HookDesk::hook).toList();
    }

    public void remove(Caller caller, Actor actor, String project, String hookId) {
        Access.requireProjectAdmin(caller, project);
        hooks.remove(project, hookId, actor);
    }

    /** The hook's deliveries, newest first, each with its attempts. */
    public List<Delivery> deliveries(Caller caller, String project, String hookId, int limit) {
        Access.requireProjectAdmin(caller, project);
        return hooks.deliveries(project, hookId, limit).stream()
                .map(log -> new Delivery(
                        log.delivery().deliveryId(),
                        log.event().eventId(),
                        log.event().environment(),
                        log.event().service(),
                        log.event().keys(),
                        log.delivery().status().wireName(),
                        log.delivery().attempts(),
                        log.delivery().lastStatusCode(),
                        wireName(log.delivery().lastError()),
                        log.delivery().createdAt(),
                        log.delivery().deliveredAt(),
                        log.attempts().stream()
                                .map(a -> new Attempt(
                                        a.attempt(),
                                        a.attemptedAt(),
                                        a.statusCode(),
                                        wireName(a.error()),
                                        a.durationMs()))
                                .toList()))
                .toList();
    }

    /** Sends a delivery's event again, as a new delivery due now; answers the new delivery's id. */
    public String redeliver(Caller caller, Actor actor, String project, String hookId, String deliveryId) {
        Access.requireProjectAdmin(caller, project);
        return hooks.redeliver(project, hookId, deliveryId, actor).deliveryId();
    }

    private static Hook hook(Webhook hook) {
        return new Hook(
                hook.hookId(),
                hook.url(),
                hook.environmentList(),
                hook.enabled(),
                hook.disabledReason(),
                hook.createdAt());
    }

    private static String wireName(DeliveryError error) {
        return error == null ? null : error.wireName();
    }
}
