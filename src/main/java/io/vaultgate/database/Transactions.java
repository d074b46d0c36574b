package io.vaultgate.database;

import io.micronaut.transaction.TransactionCallback;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.DefaultTransactionDefinition;
import jakarta.inject.Singleton;
import java.sql.Connection;

/**
 * The one way features run a MySQL transaction. A transaction the database rolled back whole, a
 * deadlock victim or a Galera certification failure at commit (both 1213), is run again here
 * ({@link Deadlocks#retried}), so no feature answers it to a client. Only the outermost
 * transaction is re-run: a nested call joins it and its failure rolls back the outer one, which
 * this runner repeats from its start. What a callback does must therefore touch MySQL alone;
 * a Vault call or a token mint happens before or after it, never inside (a callback may wait,
 * boundedly, for the answer to one another thread makes: run again, it waits for the same answer).
 */
@Singleton
public class Transactions {

    private static final TransactionDefinition READ_COMMITTED = readCommitted();

    private final TransactionOperations<Connection> operations;

    private static TransactionDefinition readCommitted() {
        DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
        definition.setIsolationLevel(TransactionDefinition.Isolation.READ_COMMITTED);
        return definition;
    }

    Transactions(TransactionOperations<Connection> operations) {
        this.operations = operations;
    }

    public <T> T executeWrite(TransactionCallback<Connection, T> work) {
        if (inTransaction()) {
            return operations.executeWrite(work);
        }
        return Deadlocks.retried(() -> operations.executeWrite(work));
    }

    /**
     * As {@link #executeWrite}, each statement reading what is committed when it runs rather than
     * when the transaction first read: for a transaction that waits (for a Vault write another
     * thread makes) between its reads, so what it reads after the wait is not as old as the wait.
     */
    public <T> T executeWriteReadingCommitted(TransactionCallback<Connection, T> work) {
        if (inTransaction()) {
            throw new IllegalStateException("a transaction's isolation is set when it starts, not when it is joined");
        }
        return Deadlocks.retried(() -> operations.execute(READ_COMMITTED, work));
    }

    public <T> T executeRead(TransactionCallback<Connection, T> work) {
        if (inTransaction()) {
            return operations.executeRead(work);
        }
        return Deadlocks.retried(() -> operations.executeRead(work));
    }

    public boolean inTransaction() {
        return operations.findTransactionStatus().isPresent();
    }
}
