package io.vaultgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.data.exceptions.DataAccessException;
import io.vaultgate.testing.RealParts;
import io.vaultgate.testing.RealStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@link Deadlocks#retried} runs again, on real MariaDB through Connector/J. Connector/J
 * reports a deadlock (1213) and a lock wait that ran out (1205) alike, as SQLState 40001; only the
 * deadlock rolled the transaction back, and only it is worth running again at once. Each
 * transaction fails as Micronaut Data fails it: a {@link DataAccessException} around the driver's.
 */
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadlocksIT {

    private static final Duration LOCK_WAIT = Duration.ofSeconds(1);

    private final RealStack stack = RealStack.forClass(DeadlocksIT.class);

    @BeforeAll
    void twoRows() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE lock_probe (id INT NOT NULL PRIMARY KEY, n INT NOT NULL)");
            statement.execute("INSERT INTO lock_probe (id, n) VALUES (1, 0), (2, 0)");
        }
    }

    @Test
    void aLockWaitThatRunsOutIsGivenUpAfterOneWaitNotRunAgainAsADeadlock() throws SQLException {
        try (Connection holder = connect()) {
            holder.setAutoCommit(false);
            lock(holder, 1);
            AtomicInteger attempts = new AtomicInteger();
            long started = System.nanoTime();

            assertThatThrownBy(() -> Deadlocks.retried(() -> {
                        attempts.incrementAndGet();
                        return transaction(connection -> lock(connection, 1));
                    }))
                    .isInstanceOf(DataAccessException.class)
                    .cause()
                    .isInstanceOfSatisfying(SQLException.class, timeout -> {
                        assertThat(timeout.getErrorCode()).isEqualTo(1205);
                        assertThat(timeout.getSQLState()).isEqualTo("40001");
                    });

            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            assertThat(attempts).as("attempts").hasValue(1);
            assertThat(waited).isLessThan(LOCK_WAIT.multipliedBy(2));
            holder.rollback();
        }
    }

    @Test
    void aDeadlockIsRunAgainAndBothTransactionsComplete() throws Exception {
        CyclicBarrier bothHoldTheirFirstRow = new CyclicBarrier(2);
        AtomicInteger attempts = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Object> forward = threads.submit(() -> lockInOrder(1, 2, bothHoldTheirFirstRow, attempts));
            Future<Object> backward = threads.submit(() -> lockInOrder(2, 1, bothHoldTheirFirstRow, attempts));

            forward.get(30, TimeUnit.SECONDS);
            backward.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertThat(attempts)
                .as("two first attempts, the deadlock victim's second")
                .hasValue(3);
    }

    /** Locks two rows, meeting the other transaction after the first on the first attempt only. */
    private Object lockInOrder(int first, int second, CyclicBarrier meet, AtomicInteger attempts) {
        AtomicInteger mine = new AtomicInteger();
        return Deadlocks.retried(() -> {
            attempts.incrementAndGet();
            boolean firstAttempt = mine.incrementAndGet() == 1;
            return transaction(connection -> {
                lock(connection, first);
                if (firstAttempt) {
                    try {
                        meet.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                lock(connection, second);
            });
        });
    }

    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    /** One transaction, with a short lock wait; fails as Micronaut Data fails a statement. */
    private Object transaction(Work work) {
        try (Connection connection = connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION innodb_lock_wait_timeout = " + LOCK_WAIT.toSeconds());
            }
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
                return null;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessException("Error executing SQL UPDATE: " + e.getMessage(), e);
        }
    }

    private static void lock(Connection connection, int id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE lock_probe SET n = n + 1 WHERE id = ?")) {
            update.setInt(1, id);
            update.executeUpdate();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
    }
}
