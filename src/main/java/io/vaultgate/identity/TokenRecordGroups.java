package io.vaultgate.identity;

import io.micronaut.data.exceptions.DataAccessException;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.web.WireNames;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records concurrent mints' workload tokens in one MySQL transaction: each deployment held (shared),
 * every token row and every audit row in one multi-row insert each, one commit. A mint recorded one
 * at a time paid six statements and a commit (an fsync) of its own, the largest part of its cost
 * in the gateway and in MariaDB.
 *
 * <p>A writer thread takes the first waiting token, waits up to {@code vaultgate.tokens.record-group-wait}
 * for others (at most {@code record-group-size}), and writes them; while it writes, the next writer
 * (of {@code record-group-writers}) gathers the next group, so a group's round trips to MySQL do
 * not hold up the mints that arrive meanwhile. Each mint waits for its group's
 * commit before its token is answered, so a token is recorded before anyone holds it. A group that
 * fails fails every mint in it (each takes its own token back, {@link RecordedMint}). A mint whose
 * deployment the group could not hold (deleted, or locked by a deletion under way: the group skips
 * it rather than stall every other deployment's mints behind it), or that found the queue full, is
 * told so and records itself alone, in its own transaction, as before grouping.
 */
@Singleton
class TokenRecordGroups {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRecordGroups.class);

    private final Transactions transactions;
    private final Catalog catalog;
    private final AuditLog audit;
    private final int maxSize;
    private final long waitNanos;
    private final BlockingQueue<Pending> queue;
    /** One writer gathers at a time, so groups fill; the others write theirs meanwhile. */
    private final ReentrantLock gathering = new ReentrantLock();

    private volatile boolean running = true;
    private final List<Thread> writers = new ArrayList<>();

    /** A token's row and audit, and the answer its mint waits for: true once committed, false to record alone. */
    private record Pending(IssuedTokenRecord token, AuditEntry audited, CompletableFuture<Boolean> recorded) {}

    TokenRecordGroups(Transactions transactions, Catalog catalog, AuditLog audit, TokenProperties properties) {
        this.transactions = transactions;
        this.catalog = catalog;
        this.audit = audit;
        this.maxSize = properties.recordGroupSize();
        this.waitNanos = properties.recordGroupWait().toNanos();
        this.queue = new ArrayBlockingQueue<>(Math.max(1, maxSize * 4));
        if (maxSize > 1) {
            for (int i = 0; i < properties.recordGroupWriters(); i++) {
                Thread writer = new Thread(this::writeGroups, "token-record-groups-" + i);
                writer.setDaemon(true);
                writer.start();
                writers.add(writer);
            }
        }
    }

    /**
     * Records the token with the next group and waits for its commit.
     *
     * @return true when recorded; false when the caller must record it alone (grouping off, the queue
     *     full, the writer stopping, or its deployment not held by the group: gone or being deleted)
     * @throws DataAccessException when the group's transaction failed; nothing of it was recorded
     */
    boolean recordInGroup(IssuedTokenRecord token, AuditEntry audited) {
        if (maxSize <= 1 || !running) {
            return false;
        }
        Pending pending = new Pending(token, audited, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            return false;
        }
        if (!running) {
            // Stopped between the check and the offer: the writer may have drained the queue already.
            answerLeftAlone();
        }
        try {
            return pending.recorded().join();
        } catch (CompletionException e) {
            // A fresh exception a mint: the group's failure is shared, and each mint adds to its own.
            throw new DataAccessException("the group this token was recorded with failed", e.getCause());
        }
    }

    private void writeGroups() {
        while (running) {
            try {
                List<Pending> group;
                gathering.lockInterruptibly();
                try {
                    Pending first = queue.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    group = gather(first);
                } finally {
                    gathering.unlock();
                }
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // write() has answered its group; the writer goes on with the next.
                LOG.warn("token record group failed: {}", e.getClass().getName());
            }
        }
        answerLeftAlone();
    }

    private void answerLeftAlone() {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.recorded().complete(false));
    }

    private List<Pending> gather(Pending first) throws InterruptedException {
        List<Pending> group = new ArrayList<>(maxSize);
        group.add(first);
        long deadline = System.nanoTime() + waitNanos;
        while (group.size() < maxSize) {
            queue.drainTo(group, maxSize - group.size());
            long left = deadline - System.nanoTime();
            if (group.size() >= maxSize || left <= 0) {
                break;
            }
            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            group.add(next);
        }
        return group;
    }

    private void write(List<Pending> group) {
        Set<Long> deployments = new LinkedHashSet<>();
        group.forEach(p -> deployments.add(p.token().deploymentId()));
        Set<Long> held;
        try {
            held = transactions.executeWrite(status -> {
                Set<Long> holding = catalog.holdDeploymentsUnlessBusy(deployments);
                List<Pending> kept = group.stream()
                        .filter(p -> holding.contains(p.token().deploymentId()))
                        .toList();
                if (!kept.isEmpty()) {
                    insertTokens(status.getConnection(), kept);
                    audit.recordAll(
                            status.getConnection(),
                            kept.stream().map(Pending::audited).toList());
                }
                return holding;
            });
        } catch (RuntimeException | Error e) {
            group.forEach(p -> p.recorded().completeExceptionally(e));
            throw e;
        }
        group.forEach(p -> p.recorded().complete(held.contains(p.token().deploymentId())));
    }

    private static final String INSERT_TOKENS = "INSERT INTO issued_token (accessor, kind, role, project_id, project,"
            + " environment, service, deployment_id, boot_fetches, created_at, expires_at, created_by, revoked_at,"
            + " revoked_by, token_hash) VALUES ";

    /** One multi-row insert: Micronaut Data's {@code saveAll} mapped each row at a cost larger than the insert's. */
    private static void insertTokens(Connection connection, List<Pending> group) {
        String row = "(" + String.join(", ", Collections.nCopies(15, "?")) + ")";
        String sql = INSERT_TOKENS + String.join(", ", Collections.nCopies(group.size(), row));
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int at = 0;
            for (Pending pending : group) {
                IssuedTokenRecord t = pending.token();
                statement.setString(++at, t.accessor());
                statement.setString(++at, WireNames.of(t.kind()));
                statement.setString(++at, WireNames.of(t.role()));
                statement.setLong(++at, t.projectId());
                statement.setString(++at, t.project());
                statement.setString(++at, t.environment());
                statement.setString(++at, t.service());
                statement.setObject(++at, t.deploymentId(), Types.BIGINT);
                statement.setInt(++at, t.bootFetches());
                statement.setObject(++at, t.createdAt());
                statement.setObject(++at, t.expiresAt());
                statement.setString(++at, t.createdBy());
                statement.setObject(++at, t.revokedAt());
                statement.setString(++at, t.revokedBy());
                statement.setString(++at, t.tokenHash());
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            // The exception Micronaut Data throws, so failures are told apart as for every other statement.
            throw new DataAccessException(group.size() + " token rows failed", e);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        for (Thread writer : writers) {
            writer.join(Duration.ofSeconds(10).toMillis());
        }
    }
}
