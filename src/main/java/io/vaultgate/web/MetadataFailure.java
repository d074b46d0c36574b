package io.vaultgate.web;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.exceptions.NoConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** What asking the metadata database again would do after a failure, by the failure's causes. */
enum MetadataFailure {
    /**
     * Asking again may succeed: no connection to be had, one lost (SQLState class 08), a
     * transaction the database rolled back itself (class 40: a deadlock, a Galera certification
     * failure), a statement that waited for a lock longer than {@code innodb_lock_wait_timeout}
     * (which Connector/J reports in class 40 too, though InnoDB rolled back only that statement,
     * and the whole transaction only with {@code innodb_rollback_on_timeout}; the gateway rolls back
     * the rest as the failure leaves it), or a primary that turned read-only.
     */
    UNAVAILABLE,
    /**
     * A duplicate key: a concurrent request created the same unique row first, and asking again
     * sees it. MySQL's and MariaDB's 1062; SQLState 23505 where the driver says so (H2, dev mode).
     */
    CONFLICT,
    /** Anything else: a statement the database refused, or a bug of the gateway. A retry repeats it. */
    FAULT;

    private static final int ER_DUP_ENTRY = 1062;
    private static final int ER_OPTION_PREVENTS_STATEMENT = 1290;
    private static final int ER_READ_ONLY_MODE = 1836;

    static MetadataFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoConnectionException) {
                // Code asked for the current connection where there was none. Micronaut Data says so
                // with a ConnectionException too, but it is a bug that every retry repeats.
                return FAULT;
            }
            if (t instanceof CannotGetJdbcConnectionException
                    || t instanceof ConnectionException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException) {
                return UNAVAILABLE;
            }
            if (t instanceof SQLException sql
                    && (sql.getErrorCode() == ER_DUP_ENTRY || "23505".equals(sql.getSQLState()))) {
                return CONFLICT;
            }
            if (t instanceof SQLException sql
                    && ((sql.getSQLState() != null
                                    && (sql.getSQLState().startsWith("08")
                                            || sql.getSQLState().startsWith("40")))
                            || isReadOnly(sql))) {
                return UNAVAILABLE;
            }
        }
        return FAULT;
    }

    /**
     * A primary that turned read-only, as a failover leaves the old one: MySQL's and MariaDB's 1290
     * naming {@code --read-only} or {@code --super-read-only} (1290 is also answered for other
     * options the gateway never meets), and MySQL's 1836. The writable primary takes the write.
     */
    static boolean isReadOnly(SQLException sql) {
        return sql.getErrorCode() == ER_READ_ONLY_MODE
                || (sql.getErrorCode() == ER_OPTION_PREVENTS_STATEMENT
                        && String.valueOf(sql.getMessage()).contains("read-only"));
    }
}
