package io.vaultgate.restart;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fair share of the due deliveries, oldest first, at most {@code limit}: of each hook only as
 * many as keep its deliveries in flight (leased, on any replica) within {@code perHook}, and of
 * each project within {@code perProject}. A tarpit receiver then holds at most that many senders,
 * and one tenant's hooks at most their project's share. Not locked: the claim locks what is still
 * due.
 *
 * <p>A claim reads what it may take, not the backlog: the hooks with work come one index dive each
 * from {@code ix_webhook_delivery_hook_due} (status, hook, id, next attempt), and each hook's
 * oldest due rows from the same index alone, at most its share. One statement ranking every due row by window functions cost
 * the whole backlog per claim, and a claim takes at most a hook's share: a change owing one hook
 * 10,000 deliveries made 625 claims of 10,000 rows each.
 */
@Singleton
class DueDeliveries {

    /** The next hook with a row of this status: one index dive, where a GROUP BY read every row. */
    private static final String NEXT_HOOK_WITH =
            "SELECT MIN(webhook_id) FROM webhook_delivery WHERE status = ? AND webhook_id > ?";

    private static final String IN_FLIGHT = "SELECT webhook_id, COUNT(*) FROM webhook_delivery "
            + "WHERE status = 'sending' AND lease_until > ? GROUP BY webhook_id";
    private static final String HOOK_DUE = "SELECT id FROM webhook_delivery "
            + "WHERE status = ? AND webhook_id = ? AND next_attempt_at <= ? ORDER BY id LIMIT ?";

    private final JdbcOperations jdbc;

    DueDeliveries(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A hook's due rows of one status, as the claim reads them, with literals: for EXPLAIN. */
    static String explainable() {
        return HOOK_DUE.replaceFirst("\\?", "'pending'")
                .replaceFirst("\\?", "1")
                .replaceFirst("\\?", "NOW()")
                .replaceFirst("\\?", "16");
    }

    List<Long> ids(Instant now, int perHook, int perProject, int limit) {
        Timestamp at = Timestamp.from(now);
        Set<Long> pendingHooks = hooksWith("pending");
        Set<Long> sendingHooks = hooksWith("sending");
        if (pendingHooks.isEmpty() && sendingHooks.isEmpty()) {
            return List.of();
        }
        Map<Long, Integer> hookBusy = inFlight(at);
        Set<Long> hooks = new LinkedHashSet<>(pendingHooks);
        hooks.addAll(sendingHooks);
        Set<Long> known = new LinkedHashSet<>(hooks);
        known.addAll(hookBusy.keySet());
        Map<Long, Long> projectOf = projects(known);
        Map<Long, Integer> projectBusy = new HashMap<>();
        hookBusy.forEach((hook, busy) -> {
            Long project = projectOf.get(hook);
            if (project != null) {
                projectBusy.merge(project, busy, Integer::sum);
            }
        });
        Map<Long, List<Long>> fairByProject = new TreeMap<>();
        for (Long hook : hooks) {
            Long project = projectOf.get(hook);
            int share = Math.min(perHook - hookBusy.getOrDefault(hook, 0), limit);
            if (project == null || share <= 0) {
                continue;
            }
            List<Long> due = new ArrayList<>();
            if (pendingHooks.contains(hook)) {
                due.addAll(hookDue("pending", hook, at, share));
            }
            if (sendingHooks.contains(hook)) {
                due.addAll(hookDue("sending", hook, at, share)); // leases that ran out
            }
            Collections.sort(due);
            fairByProject
                    .computeIfAbsent(project, p -> new ArrayList<>())
                    .addAll(due.subList(0, Math.min(share, due.size())));
        }
        List<Long> fair = new ArrayList<>();
        fairByProject.forEach((project, due) -> {
            Collections.sort(due);
            int share = perProject - projectBusy.getOrDefault(project, 0);
            if (share > 0) {
                fair.addAll(due.subList(0, Math.min(share, due.size())));
            }
        });
        Collections.sort(fair);
        return List.copyOf(fair.subList(0, Math.min(limit, fair.size())));
    }

    private Set<Long> hooksWith(String status) {
        Set<Long> hooks = new LinkedHashSet<>();
        long after = 0;
        while (true) {
            long from = after;
            Long next = jdbc.prepareStatement(NEXT_HOOK_WITH, statement -> {
                statement.setString(1, status);
                statement.setLong(2, from);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    long hook = rows.getLong(1);
                    return rows.wasNull() ? null : hook;
                }
            });
            if (next == null) {
                return hooks;
            }
            hooks.add(next);
            after = next;
        }
    }

    private Map<Long, Integer> inFlight(Timestamp at) {
        return jdbc.prepareStatement(IN_FLIGHT, statement -> {
            statement.setTimestamp(1, at);
            Map<Long, Integer> busy = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    busy.put(rows.getLong(1), rows.getInt(2));
                }
            }
            return busy;
        });
    }

    private Map<Long, Long> projects(Set<Long> hooks) {
        String sql = "SELECT id, project_id FROM webhook WHERE id IN ("
                + String.join(", ", Collections.nCopies(hooks.size(), "?")) + ")";
        return jdbc.prepareStatement(sql, statement -> {
            int at = 1;
            for (Long hook : hooks) {
                statement.setLong(at++, hook);
            }
            Map<Long, Long> projects = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    projects.put(rows.getLong(1), rows.getLong(2));
                }
            }
            return projects;
        });
    }

    private List<Long> hookDue(String status, Long hook, Timestamp at, int share) {
        return jdbc.prepareStatement(HOOK_DUE, statement -> {
            bind(statement, status, hook, at, share);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        });
    }

    private static void bind(PreparedStatement statement, String status, Long hook, Timestamp at, int share)
            throws SQLException {
        statement.setString(1, status);
        statement.setLong(2, hook);
        statement.setTimestamp(3, at);
        statement.setInt(4, share);
    }
}
