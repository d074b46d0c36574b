package io.vaultgate.delivery;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.vaultgate.database.Transactions;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The {@code rollout_instance} table: written only by {@link RolloutRecorder}'s flush, in one
 * transaction of batched upserts, then pruned to the retention; read by {@link Rollout}.
 */
@Singleton
class RolloutLedger {

    private static final int ROWS_PER_STATEMENT = 200;

    /**
     * The upsert repeats {@link Sighting#merge}. MySQL assigns left to right, each assignment
     * seeing the ones before it, so the columns compared (revision, last_seen_at) come last;
     * a sighting older than the row (another replica flushed a newer one) changes nothing.
     */
    private static final String UPSERT_PREFIX = "INSERT INTO rollout_instance (deployment_id, instance_key, instance, "
            + "token_accessor, revision, booted_at, last_seen_at, from_fallback) VALUES ";

    private static final String UPSERT_SUFFIX = " ON DUPLICATE KEY UPDATE "
            + "booted_at = CASE WHEN VALUES(last_seen_at) < last_seen_at THEN booted_at "
            + "WHEN VALUES(revision) = revision AND booted_at < VALUES(booted_at) THEN booted_at "
            + "ELSE VALUES(booted_at) END, "
            + "from_fallback = CASE WHEN VALUES(last_seen_at) < last_seen_at THEN from_fallback "
            + "WHEN VALUES(revision) = revision THEN (from_fallback OR VALUES(from_fallback)) "
            + "ELSE VALUES(from_fallback) END, "
            + "instance = CASE WHEN VALUES(last_seen_at) < last_seen_at THEN instance ELSE VALUES(instance) END, "
            + "token_accessor = CASE WHEN VALUES(last_seen_at) < last_seen_at THEN token_accessor "
            + "ELSE VALUES(token_accessor) END, "
            + "revision = CASE WHEN VALUES(last_seen_at) < last_seen_at THEN revision ELSE VALUES(revision) END, "
            + "last_seen_at = CASE WHEN VALUES(last_seen_at) < last_seen_at THEN last_seen_at "
            + "ELSE VALUES(last_seen_at) END";

    private final JdbcOperations jdbc;
    private final Transactions transactions;

    RolloutLedger(JdbcOperations jdbc, Transactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Writes the sightings, then deletes what is past the retention: rows not seen since
     * {@code oldest}, and beyond the {@code maxInstances} most recently seen of each deployment
     * written to. One transaction.
     */
    void record(Collection<Sighting> sightings, Instant oldest, int maxInstances) {
        List<Sighting> rows = List.copyOf(sightings);
        Set<Long> deployments = new java.util.TreeSet<>();
        rows.forEach(s -> deployments.add(s.deploymentId()));
        transactions.executeWrite(status -> {
            for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                upsert(rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)));
            }
            jdbc.prepareStatement("DELETE FROM rollout_instance WHERE last_seen_at < ?", statement -> {
                statement.setTimestamp(1, Timestamp.from(oldest));
                return statement.executeUpdate();
            });
            deployments.forEach(deployment -> keepLatest(deployment, maxInstances));
            return null;
        });
    }

    /** The instances of these deployments seen since {@code since}. One SQL statement. */
    List<Sighting> seenSince(Collection<Long> deploymentIds, Instant since) {
        if (deploymentIds.isEmpty()) {
            return List.of();
        }
        List<Long> ids = List.copyOf(deploymentIds);
        String sql = "SELECT deployment_id, instance, token_accessor, revision, booted_at, last_seen_at, "
                + "from_fallback FROM rollout_instance WHERE last_seen_at >= ? AND deployment_id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?"))
                + ") ORDER BY deployment_id, last_seen_at DESC, instance_key";
        return transactions.executeRead(status -> jdbc.prepareStatement(sql, statement -> {
            statement.setTimestamp(1, Timestamp.from(since));
            for (int i = 0; i < ids.size(); i++) {
                statement.setLong(i + 2, ids.get(i));
            }
            List<Sighting> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new Sighting(
                            rows.getLong(1),
                            rows.getString(2),
                            rows.getString(3),
                            rows.getString(4),
                            rows.getTimestamp(5).toInstant(),
                            rows.getTimestamp(6).toInstant(),
                            rows.getBoolean(7)));
                }
            }
            return found;
        }));
    }

    private void upsert(List<Sighting> chunk) {
        String sql = UPSERT_PREFIX
                + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?, ?, ?, ?)"))
                + UPSERT_SUFFIX;
        jdbc.prepareStatement(sql, statement -> {
            int at = 1;
            for (Sighting s : chunk) {
                statement.setLong(at++, s.deploymentId());
                statement.setString(at++, s.instanceKey());
                statement.setString(at++, s.instance());
                statement.setString(at++, s.tokenAccessor());
                statement.setString(at++, s.revision());
                statement.setTimestamp(at++, Timestamp.from(s.bootedAt()));
                statement.setTimestamp(at++, Timestamp.from(s.lastSeenAt()));
                statement.setBoolean(at++, s.fromFallback());
            }
            return statement.executeUpdate();
        });
    }

    /** Deletes a deployment's instances beyond the {@code max} most recently seen. */
    private void keepLatest(long deploymentId, int max) {
        Timestamp cut = jdbc.prepareStatement(
                "SELECT last_seen_at FROM rollout_instance WHERE deployment_id = ? "
                        + "ORDER BY last_seen_at DESC LIMIT 1 OFFSET ?",
                statement -> {
                    statement.setLong(1, deploymentId);
                    statement.setInt(2, max);
                    try (ResultSet rows = statement.executeQuery()) {
                        return rows.next() ? rows.getTimestamp(1) : null;
                    }
                });
        if (cut != null) {
            jdbc.prepareStatement(
                    "DELETE FROM rollout_instance WHERE deployment_id = ? AND last_seen_at <= ?", statement -> {
                        statement.setLong(1, deploymentId);
                        statement.setTimestamp(2, cut);
                        return statement.executeUpdate();
                    });
        }
    }
}
