package io.vaultgate.database;

import io.micronaut.transaction.TransactionCallback;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;

/**
 * The one way features run a MySQL transaction. A transaction the database rolled back whole, a
 * deadlock victim or a Galera certification failure at commit (both 1213), is run again here
 * ({@link Deadlocks#retried}), so no feature answers it to a client. Only the outermost
 * transaction is re-run: a nested call joins it and its failure rolls back the outer one, which
 * this runner repeats from its start. What a callback does must therefore touch MySQL alone;
 * a Vault call or a token mint happens before or after it, never inside.
 */
@Singleton
public class Transactions {

    private final TransactionOperations<Connection> operations;

    Transactions(TransactionOperations<Connection> operations) {
        this.operations = operations;
    }

    public <T> T executeWrite(TransactionCallback<Connection, T> work) {
        if (inTransaction()) {
            return operations.executeWrite(work);
        }
        return Deadlocks.retried(() -> operations.executeWrite(work));
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
