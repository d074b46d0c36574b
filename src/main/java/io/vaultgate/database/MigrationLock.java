package io.vaultgate.database;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica at a time runs Flyway, on a Galera cluster too. Flyway serialises migrations on
 * MySQL with {@code GET_LOCK}, but skips it where {@code wsrep_on} is set (a named lock is not
 * replicated) and falls back to {@code SELECT ... FOR UPDATE} on its history table, which holds
 * nothing on an empty schema and ends at the first DDL's implicit commit: replicas starting at once
 * all created the history and applied V1, and all but one died on the duplicate history row.
 *
 * <p>The lock here is a committed lease in a row of its own: a replica takes it with one
 * {@code UPDATE} that matches only a free or expired lease, so Galera certifies it like any
 * write (two nodes taking it at once: one commit fails with 1213 and waits its turn), and a
 * holder killed mid-migration lets the others in once its lease runs out. The holder renews the
 * lease while Flyway runs and frees it when Flyway is done. Only MySQL and MariaDB take it: dev
 * mode's H2 file is one process's.
 */
final class MigrationLock implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationLock.class);
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int ATTEMPTS = 20;
    static final String TABLE = "vaultgate_migration_lock";

    private final MigrationLockProperties properties;
    private final String holder = HexFormat.of().formatHex(SecureRandom.getSeed(8));
    private DataSource dataSource;
    private ScheduledExecutorService renewal;

    MigrationLock(MigrationLockProperties properties) {
        this.properties = properties;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return switch (event) {
            case BEFORE_VALIDATE,
                    BEFORE_MIGRATE,
                    AFTER_VALIDATE_ERROR,
                    AFTER_MIGRATE_ERROR,
                    AFTER_MIGRATE_OPERATION_FINISH -> true;
            default -> false;
        };
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public synchronized void handle(Event event, Context context) {
        try {
            switch (event) {
                case BEFORE_VALIDATE, BEFORE_MIGRATE ->
                    acquire(
                            context.getConfiguration().getDataSource(),
                            context.getConfiguration().getTable());
                default -> release();
            }
        } catch (SQLException e) {
            throw new FlywayException("could not take or free the migration lock", e);
        }
    }

    @Override
    public String getCallbackName() {
        return "vaultgate-migration-lock";
    }

    private void acquire(DataSource source, String history) throws SQLException {
        if (renewal != null || !isMySql(source)) {
            return;
        }
        dataSource = source;
        prepare();
        long deadline = System.nanoTime() + properties.maxWait().toNanos();
        boolean waited = false;
        while (!update(
                "UPDATE " + TABLE + " SET holder = ?, expires_at = DATE_ADD(NOW(6), INTERVAL ? MICROSECOND)"
                        + " WHERE id = 1 AND (holder IS NULL OR holder = ? OR expires_at < NOW(6))",
                true)) {
            if (System.nanoTime() > deadline) {
                throw new FlywayException("another replica held the migration lock for longer than "
                        + properties.maxWait() + " (vaultgate.migration-lock.max-wait)");
            }
            if (!waited) {
                LOG.info("Another replica is migrating the schema: waiting for it");
                waited = true;
            }
            sleep(POLL);
        }
        refuseForeignSchema(history);
        long every = properties.lease().toMillis() / 3;
        renewal = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "migration-lock-renewal");
            thread.setDaemon(true);
            return thread;
        });
        renewal.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try {
            update(
                    "UPDATE " + TABLE + " SET expires_at = DATE_ADD(NOW(6), INTERVAL ? MICROSECOND)"
                            + " WHERE id = 1 AND holder = ?",
                    false);
        } catch (SQLException e) {
            LOG.warn("Could not renew the migration lock: {}", e.getMessage());
        }
    }

    private void release() throws SQLException {
        if (renewal == null) {
            return;
        }
        renewal.shutdownNow();
        renewal = null;
        // Run again on 1213 like taking it: a replica taking the lease through another Galera node
        // updates the same row, and a release lost to certification would keep the others waiting
        // out the whole lease.
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement free = connection.prepareStatement(
                            "UPDATE " + TABLE + " SET holder = NULL WHERE id = 1 AND holder = ?")) {
                connection.setAutoCommit(true);
                free.setString(1, holder);
                free.executeUpdate();
                return;
            } catch (SQLException e) {
                if (e.getErrorCode() != ER_LOCK_DEADLOCK || attempt == ATTEMPTS) {
                    throw e;
                }
                sleep(Duration.ofMillis(20L * attempt));
            }
        }
    }

    /** The lock's table and its one row (Galera replicates DDL in total order and certifies the row). */
    private void prepare() throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection();
                    Statement ddl = connection.createStatement()) {
                connection.setAutoCommit(true);
                ddl.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                        + " (id INT PRIMARY KEY, holder VARCHAR(32) NULL, expires_at DATETIME(6) NULL)");
                ddl.execute("INSERT IGNORE INTO " + TABLE + " (id) VALUES (1)");
                return;
            } catch (SQLException e) {
                if (e.getErrorCode() != ER_LOCK_DEADLOCK || attempt == ATTEMPTS) {
                    throw e;
                }
                sleep(Duration.ofMillis(20L * attempt));
            }
        }
    }

    /**
     * Flyway baselines a schema that holds tables but no history (the lock's table makes a fresh
     * schema so), which would also let it migrate into a database that is not Vaultgate's or whose
     * history was dropped: that start is refused here, as Flyway would have refused it.
     */
    private void refuseForeignSchema(String history) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement tables = connection.prepareStatement(
                        "SELECT COUNT(*), SUM(table_name = ?) FROM information_schema.tables"
                                + " WHERE table_schema = DATABASE() AND table_name <> ?")) {
            tables.setString(1, history);
            tables.setString(2, TABLE);
            try (ResultSet counts = tables.executeQuery()) {
                counts.next();
                if (counts.getLong(1) > 0 && counts.getLong(2) == 0) {
                    throw new FlywayException("the database holds tables but no Flyway history (" + history
                            + "): not Vaultgate's, or its history was dropped; refusing to migrate it");
                }
            }
        }
    }

    /** One statement in a transaction of its own, run again when Galera failed its certification. Whether it matched the row. */
    private boolean update(String sql, boolean take) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    if (take) {
                        statement.setString(1, holder);
                        statement.setLong(2, properties.lease().toNanos() / 1000);
                        statement.setString(3, holder);
                    } else {
                        statement.setLong(1, properties.lease().toNanos() / 1000);
                        statement.setString(2, holder);
                    }
                    return statement.executeUpdate() == 1;
                }
            } catch (SQLException e) {
                if (e.getErrorCode() != ER_LOCK_DEADLOCK || attempt == ATTEMPTS) {
                    throw e;
                }
                sleep(Duration.ofMillis(20L * attempt));
            }
        }
    }

    private static boolean isMySql(DataSource source) throws SQLException {
        try (Connection connection = source.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            return product.contains("mysql") || product.contains("mariadb");
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlywayException("interrupted while waiting for the migration lock", e);
        }
    }
}
