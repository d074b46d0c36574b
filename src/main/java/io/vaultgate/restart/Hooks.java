package io.vaultgate.restart;

import io.vaultgate.access.Actor;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.database.DatabaseClock;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.scope.Slugs;
import io.vaultgate.values.SecretValue;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Registering, listing and removing hooks; their delivery log and redelivery. A project holds at
 * most {@code max-hooks-per-project} hooks that are not removed: each hook is owed a delivery of
 * every event, so their number multiplies the outbox.
 */
@Singleton
class Hooks {

    private final Repositories.Webhooks webhooks;
    private final Repositories.Deliveries deliveries;
    private final Repositories.Attempts attempts;
    private final Repositories.Events events;
    private final HookUrlPolicy urls;
    private final ProjectNetworks networks;
    private final HookSecrets secrets;
    private final Catalog catalog;
    private final AuditLog audit;
    private final Transactions transactions;
    private final RestartProperties properties;
    private final Clock clock;
    private final DatabaseClock databaseClock;

    Hooks(
            Repositories.Webhooks webhooks,
            Repositories.Deliveries deliveries,
            Repositories.Attempts attempts,
            Repositories.Events events,
            HookUrlPolicy urls,
            ProjectNetworks networks,
            HookSecrets secrets,
            Catalog catalog,
            AuditLog audit,
            Transactions transactions,
            RestartProperties properties,
            Clock clock,
            DatabaseClock databaseClock) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.events = events;
        this.urls = urls;
        this.networks = networks;
        this.secrets = secrets;
        this.catalog = catalog;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
        this.databaseClock = databaseClock;
    }

    /** A new hook and its signing secret, which is answered this once. */
    record Registered(Webhook hook, SecretValue secret) {
        @Override
        public String toString() {
            return "Registered[hook=" + hook.hookId() + ", secret=redacted]";
        }
    }

    Registered register(String projectSlug, String url, List<String> environments, Actor actor) {
        Project project = catalog.requireProject(projectSlug);
        urls.check(url, networks.of(project.id()), project.slug());
        for (String environment : environments) {
            Slugs.require("environment", environment);
        }
        requireRoomForAHook(project);
        String hookId = "hook_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        SecretValue secret = secrets.create(project.slug(), hookId);
        Webhook hook = transactions.executeWrite(status -> {
            webhooks.lockProject(project.id());
            requireRoomForAHook(project);
            Webhook saved = webhooks.save(new Webhook(
                    null,
                    hookId,
                    project.id(),
                    url,
                    environments.isEmpty() ? null : String.join(",", environments),
                    true,
                    null,
                    clock.instant(),
                    actor.accessor()));
            audit.record(AuditEntry.of(
                    project.id(), actor, "hook.create", "/v1/projects/" + project.slug() + "/hooks/" + hookId));
            return saved;
        });
        return new Registered(hook, secret);
    }

    /** Checked before the signing secret is made, and again under the project's lock for the race. */
    private void requireRoomForAHook(Project project) {
        if (webhooks.countNotRemoved(project.id()) >= properties.maxHooksPerProject()) {
            throw new ApiException(
                    ErrorCode.HOOK_LIMIT_REACHED,
                    "Project '" + project.slug() + "' has " + properties.maxHooksPerProject()
                            + " hooks, as many as it may; remove one to register another.");
        }
    }

    List<Webhook> list(String projectSlug) {
        Project project = catalog.requireProject(projectSlug);
        return webhooks.findByProjectIdOrderById(project.id()).stream()
                .filter(hook -> !hook.removed())
                .toList();
    }

    void remove(String projectSlug, String hookId, Actor actor) {
        Project project = catalog.requireProject(projectSlug);
        Webhook hook = require(project, hookId);
        transactions.executeWrite(status -> {
            webhooks.update(hook.disabled(Webhook.REMOVED));
            List<WebhookDelivery> open =
                    deliveries.findByWebhookIdAndStatusIn(hook.id(), List.of(DeliveryStatus.PENDING));
            deliveries.updateAll(open.stream()
                    .map(d -> d.cancelled(DeliveryError.HOOK_REMOVED, d.lastStatusCode(), d.attempts()))
                    .toList());
            audit.record(AuditEntry.of(
                    project.id(), actor, "hook.remove", "/v1/projects/" + project.slug() + "/hooks/" + hookId));
            return null;
        });
        secrets.forget(hookId);
    }

    /** A delivery with its attempts and the event it carries. */
    record DeliveryLog(WebhookDelivery delivery, RestartEvent event, List<WebhookAttempt> attempts) {}

    List<DeliveryLog> deliveries(String projectSlug, String hookId, int limit) {
        Webhook hook = require(catalog.requireProject(projectSlug), hookId);
        List<WebhookDelivery> recent = deliveries.findByWebhookIdOrderByIdDesc(hook.id()).stream()
                .limit(limit)
                .toList();
        if (recent.isEmpty()) {
            return List.of();
        }
        Map<String, RestartEvent> eventsById =
                events
                        .findByEventIdIn(
                                recent.stream().map(WebhookDelivery::eventId).toList())
                        .stream()
                        .collect(Collectors.toMap(RestartEvent::eventId, Function.identity()));
        Map<Long, List<WebhookAttempt>> attemptsByDelivery =
                attempts
                        .findByDeliveryIdInOrderByAttempt(
                                recent.stream().map(WebhookDelivery::id).toList())
                        .stream()
                        .collect(Collectors.groupingBy(WebhookAttempt::deliveryId));
        List<DeliveryLog> logs = new ArrayList<>();
        for (WebhookDelivery delivery : recent) {
            logs.add(new DeliveryLog(
                    delivery,
                    eventsById.get(delivery.eventId()),
                    attemptsByDelivery.getOrDefault(delivery.id(), List.of())));
        }
        return logs;
    }

    /** Sends a delivery's event again, as a new delivery due now; the receiver dedupes on the event id. */
    WebhookDelivery redeliver(String projectSlug, String hookId, String deliveryId, Actor actor) {
        Project project = catalog.requireProject(projectSlug);
        Webhook hook = require(project, hookId);
        WebhookDelivery original = deliveries
                .findByDeliveryId(deliveryId)
                .filter(d -> d.webhookId().equals(hook.id()))
                .orElseThrow(() -> new ApiException(
                        ErrorCode.DELIVERY_NOT_FOUND,
                        "Hook " + hookId + " has no delivery " + deliveryId + ".",
                        "deliveryId"));
        if (!hook.enabled()) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "Hook " + hookId + " is disabled (" + hook.disabledReason()
                            + "); register it again to receive events.");
        }
        Instant now = databaseClock.now(); // due now for every replica's dispatcher
        return transactions.executeWrite(status -> {
            WebhookDelivery again = deliveries.save(RestartOutbox.newDelivery(hook.id(), original.eventId(), now, now));
            audit.record(AuditEntry.of(
                    project.id(), actor, "hook.redeliver", "/v1/projects/" + project.slug() + "/hooks/" + hookId));
            return again;
        });
    }

    private Webhook require(Project project, String hookId) {
        return webhooks.findByHookIdAndProjectId(hookId, project.id())
                .filter(hook -> !hook.removed())
                .orElseThrow(() -> new ApiException(
                        ErrorCode.HOOK_NOT_FOUND,
                        "Project '" + project.slug() + "' has no hook " + hookId + ".",
                        "hookId"));
    }
}
