package io.vaultgate.database;

import io.micronaut.data.exceptions.DataAccessException;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Runs a short transaction again when the database chose it as a deadlock victim (InnoDB's
 * ERROR 1213 / SQLSTATE 40001, which Galera also answers for a certification failure): the
 * transaction was rolled back whole and is safe to repeat, and repeating it is what MySQL asks.
 */
public final class Deadlocks {

    private static final int ATTEMPTS = 5;

    private Deadlocks() {}

    public static <T> T retried(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS || !isDeadlock(e)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static boolean isDeadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == 1213 || "40001".equals(sql.getSQLState()))) {
                return true;
            }
            if (t instanceof DataAccessException
                    && String.valueOf(t.getMessage()).contains("Deadlock found")) {
                return true;
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(5L * attempt
                    + java.util.concurrent.ThreadLocalRandom.current().nextInt(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a deadlocked transaction", e);
        }
    }
}
