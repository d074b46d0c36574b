package io.vaultgate.database;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs a short transaction again when the database chose it as a deadlock victim: the transaction
 * was rolled back whole and is safe to repeat, and repeating it is what MySQL asks. Only a deadlock
 * is, by its error code. Connector/J gives a lock wait that ran out (1205) the same SQLState,
 * 40001, but InnoDB rolled back only the statement that waited, after a wait as long as
 * innodb_lock_wait_timeout; running it again would wait again, up to eight times on the request's
 * thread. A lock wait that runs out fails the request at once, which the client may retry.
 */
public final class Deadlocks {

    /**
     * With the pauses below, a transaction gives up after about a second of pauses in all: two
     * Galera nodes writing one hot row on a loaded host failed five quick attempts in a row.
     */
    private static final int ATTEMPTS = 8;

    private static final long FIRST_PAUSE_MILLIS = 5;
    private static final long LONGEST_PAUSE_MILLIS = 200;
    /** MySQL's and MariaDB's ER_LOCK_DEADLOCK; Galera answers it for a certification failure too. */
    private static final int ER_LOCK_DEADLOCK = 1213;
    /** H2's DEADLOCK_1, in dev mode (H2's lock timeout has a code of its own). */
    private static final int H2_DEADLOCK = 40001;

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
            if (t instanceof SQLException sql
                    && (sql.getErrorCode() == ER_LOCK_DEADLOCK || sql.getErrorCode() == H2_DEADLOCK)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Doubles from 5 ms to at most 200 ms, with as much again at random: the transactions that
     * collided retry at different moments, and a node that is slow to replicate gets time to.
     */
    private static void pause(int attempt) {
        long pause = Math.min(LONGEST_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << (attempt - 1));
        try {
            Thread.sleep(pause + ThreadLocalRandom.current().nextLong(pause + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a deadlocked transaction", e);
        }
    }
}
