package io.vaultgate.database;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
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
    private final TransactionOperations<Connection> transactions;

    DatabaseClock(JdbcOperations jdbc, TransactionOperations<Connection> transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * The database's current time, in microseconds. Inside a transaction it is read on that
     * transaction's connection; outside, in a read-only one of its own.
     */
    public Instant now() {
        return transactions.findTransactionStatus().isPresent() ? read() : transactions.executeRead(status -> read());
    }

    private Instant read() {
        // Read through getTimestamp, as Micronaut Data reads Instant columns, so both sides of a
        // comparison go through the same zone conversion.
        return jdbc.prepareStatement("SELECT CURRENT_TIMESTAMP(6)", statement -> {
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getTimestamp(1).toInstant();
            }
        });
    }
}
