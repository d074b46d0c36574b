package io.vaultgate.restart;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.vaultgate.database.DatabaseClock;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The transactional outbox. Called inside the transaction that commits the change, it inserts
 * one event per affected deployment (merging into an event still inside its coalescing window)
 * and one delivery per listening hook. Nothing here touches the network.
 */
@Singleton
public class RestartOutbox {

    /** Never merge into an event this close to its delivery time, so a dispatcher about to send it sees it whole. */
    private static final Duration MERGE_MARGIN = Duration.ofSeconds(1);
    /** Rows per multi-row INSERT: a project-wide change to thousands of deployments costs a few statements. */
    private static final int ROWS_PER_INSERT = 250;

    private final Repositories.Events events;
    private final Repositories.Webhooks webhooks;
    private final JdbcOperations jdbc;
    private final RestartProperties properties;
    private final DatabaseClock clock;

    RestartOutbox(
            Repositories.Events events,
            Repositories.Webhooks webhooks,
            JdbcOperations jdbc,
            RestartProperties properties,
            DatabaseClock clock) {
        this.events = events;
        this.webhooks = webhooks;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Records the events of one change; must run inside the change's transaction. */
    public void record(Long projectId, Collection<NewEvent> newEvents) {
        if (newEvents.isEmpty()) {
            return;
        }
        holdFeedOrder(projectId);
        Instant now = clock.now();
        Instant deliverAfter = now.plus(properties.coalescingWindow());
        Map<Long, RestartEvent> open = properties.coalescingWindow().isZero()
                ? Map.of()
                : events.findByProjectIdAndDeliverAfterGreaterThanForUpdate(projectId, now.plus(MERGE_MARGIN)).stream()
                        .collect(Collectors.toMap(
                                RestartEvent::deploymentId, Function.identity(), (a, b) -> b.id() > a.id() ? b : a));
        List<RestartEvent> merged = new ArrayList<>();
        List<RestartEvent> created = new ArrayList<>();
        for (NewEvent event : newEvents) {
            RestartEvent existing = open.get(event.deploymentId());
            if (existing != null) {
                merged.add(merge(existing, event));
            } else {
                created.add(new RestartEvent(
                        null,
                        newId("evt_"),
                        projectId,
                        event.deploymentId(),
                        event.environment(),
                        event.service(),
                        event.reason(),
                        event.changeSetId() == null ? "" : event.changeSetId(),
                        String.join(",", event.keys()),
                        event.configRevision(),
                        event.actor(),
                        now,
                        deliverAfter));
            }
        }
        events.updateAll(merged);
        insertEvents(created);
        List<WebhookDelivery> owed = new ArrayList<>();
        List<Webhook> hooks = webhooks.findByProjectIdAndEnabledTrue(projectId);
        for (RestartEvent event : created) {
            for (Webhook hook : hooks) {
                if (hook.listensTo(event.environment())) {
                    owed.add(newDelivery(hook.id(), event.eventId(), event.deliverAfter(), now));
                }
            }
        }
        insertDeliveries(owed);
    }

    /**
     * The restarts recorded for one change-set, read back from the events that name it: one per
     * deployment, with the event's keys. An event that coalesced several change-sets lists all of
     * their keys; the caller narrows them to the change-set's own.
     */
    public List<NewEvent> eventsOf(Long projectId, String changeSetId) {
        return jdbc.prepareStatement(
                "SELECT deployment_id, environment, service, reason, change_set_ids, key_names, config_revision, actor "
                        + "FROM restart_event WHERE project_id = ? AND change_set_ids LIKE ? ORDER BY id",
                statement -> {
                    statement.setLong(1, projectId);
                    statement.setString(2, "%" + changeSetId + "%");
                    List<NewEvent> found = new ArrayList<>();
                    try (var rows = statement.executeQuery()) {
                        while (rows.next()) {
                            if (!Arrays.asList(rows.getString(5).split(",")).contains(changeSetId)) {
                                continue;
                            }
                            found.add(new NewEvent(
                                    projectId,
                                    rows.getLong(1),
                                    rows.getString(2),
                                    rows.getString(3),
                                    rows.getString(4),
                                    changeSetId,
                                    new TreeSet<>(
                                            Arrays.asList(rows.getString(6).split(","))),
                                    rows.getString(7),
                                    rows.getString(8)));
                        }
                    }
                    return found;
                });
    }

    /**
     * The feed's cursor is the event id, assigned at insert but visible at commit: without this, a
     * long transaction holding ids 100..5000 could commit after id 5001, behind a reader that had
     * already moved past it. Locking the project's row (created on first use) until commit makes
     * the transactions that add events to one project take their ids one after another.
     */
    private void holdFeedOrder(Long projectId) {
        jdbc.prepareStatement(
                "INSERT INTO restart_feed_lock (project_id) VALUES (?) "
                        + "ON DUPLICATE KEY UPDATE project_id = project_id",
                statement -> {
                    statement.setLong(1, projectId);
                    return statement.executeUpdate();
                });
    }

    static WebhookDelivery newDelivery(Long webhookId, String eventId, Instant due, Instant now) {
        return WebhookDelivery.due(newId("dlv_"), webhookId, eventId, due, now);
    }

    private void insertEvents(List<RestartEvent> rows) {
        insert(
                "INSERT INTO restart_event (event_id, project_id, deployment_id, environment, service, reason, "
                        + "change_set_ids, key_names, config_revision, actor, created_at, deliver_after) VALUES ",
                12,
                rows,
                (statement, at, e) -> {
                    statement.setString(at, e.eventId());
                    statement.setLong(at + 1, e.projectId());
                    statement.setLong(at + 2, e.deploymentId());
                    statement.setString(at + 3, e.environment());
                    statement.setString(at + 4, e.service());
                    statement.setString(at + 5, e.reason());
                    statement.setString(at + 6, e.changeSetIds());
                    statement.setString(at + 7, e.keyNames());
                    statement.setString(at + 8, e.configRevision());
                    statement.setString(at + 9, e.actor());
                    statement.setTimestamp(at + 10, Timestamp.from(e.createdAt()));
                    statement.setTimestamp(at + 11, Timestamp.from(e.deliverAfter()));
                });
    }

    private void insertDeliveries(List<WebhookDelivery> rows) {
        insert(
                "INSERT INTO webhook_delivery (delivery_id, webhook_id, event_id, status, attempts, next_attempt_at, "
                        + "created_at) VALUES ",
                7,
                rows,
                (statement, at, d) -> {
                    statement.setString(at, d.deliveryId());
                    statement.setLong(at + 1, d.webhookId());
                    statement.setString(at + 2, d.eventId());
                    statement.setString(at + 3, d.status().wireName());
                    statement.setInt(at + 4, d.attempts());
                    statement.setTimestamp(at + 5, Timestamp.from(d.nextAttemptAt()));
                    statement.setTimestamp(at + 6, Timestamp.from(d.createdAt()));
                });
    }

    @FunctionalInterface
    private interface RowBinder<T> {
        void bind(PreparedStatement statement, int firstParameter, T row) throws SQLException;
    }

    private <T> void insert(String prefix, int columns, List<T> rows, RowBinder<T> binder) {
        for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
            List<T> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT));
            String placeholders = "(" + String.join(", ", java.util.Collections.nCopies(columns, "?")) + ")";
            String sql = prefix + String.join(", ", java.util.Collections.nCopies(chunk.size(), placeholders));
            jdbc.prepareStatement(sql, statement -> {
                try {
                    for (int i = 0; i < chunk.size(); i++) {
                        binder.bind(statement, i * columns + 1, chunk.get(i));
                    }
                    return statement.executeUpdate();
                } catch (SQLException e) {
                    throw new io.micronaut.data.exceptions.DataAccessException("could not insert restart events", e);
                }
            });
        }
    }

    private static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    private static RestartEvent merge(RestartEvent existing, NewEvent event) {
        Set<String> changeSets = new LinkedHashSet<>(existing.changeSets());
        if (event.changeSetId() != null) {
            changeSets.add(event.changeSetId());
        }
        TreeSet<String> keys = new TreeSet<>(existing.keys());
        keys.addAll(event.keys());
        Set<String> actors = new LinkedHashSet<>(Arrays.asList(existing.actor().split(",")));
        actors.add(event.actor());
        String reason = existing.reason().equals(event.reason()) ? existing.reason() : "multiple";
        return new RestartEvent(
                existing.id(),
                existing.eventId(),
                existing.projectId(),
                existing.deploymentId(),
                existing.environment(),
                existing.service(),
                reason,
                String.join(",", changeSets),
                String.join(",", keys),
                event.configRevision(),
                String.join(",", actors),
                existing.createdAt(),
                existing.deliverAfter());
    }
}
