package io.vaultgate.database;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.time.Instant;

/**
 * The one clock every replica agrees on: MySQL's. Anything that one replica writes and another
 * compares against "now" (a change-set's pending-since, a delivery's lease) uses it, so a replica
 * whose own clock runs ahead cannot take over work that is still in flight elsewhere.
 */
@Singleton
public class DatabaseClock {

    private final JdbcOperations jdbc;
    private final Transactions transactions;

    DatabaseClock(JdbcOperations jdbc, Transactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * The database's current time, in microseconds. Inside a transaction it is read on that
     * transaction's connection; outside, in a read-only one of its own.
     */
    public Instant now() {
        return transactions.inTransaction() ? read() : transactions.executeRead(status -> read());
    }

    private Instant read() {
        // Seconds since the epoch: an instant, whatever time zone the server or its session is in
        // (CURRENT_TIMESTAMP alone is wall time in the session's zone, which the driver would read in
        // the JVM's). MariaDB answers in microseconds; dev mode's H2 in whole seconds.
        return jdbc.prepareStatement("SELECT UNIX_TIMESTAMP(CURRENT_TIMESTAMP(6))", statement -> {
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                BigDecimal seconds = row.getBigDecimal(1);
                return Instant.ofEpochSecond(
                        seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
        });
    }
}
