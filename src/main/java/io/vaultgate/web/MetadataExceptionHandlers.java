package io.vaultgate.web;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.exceptions.NoConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.transaction.exceptions.TransactionException;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures of the metadata database. One the database may not have when asked again (no
 * connection, a connection lost, a transaction it rolled back to break a deadlock) answers 503
 * {@code metadata-unavailable}, to retry; any other (a statement it refused) is a fault of the
 * gateway and answers 500 {@code internal-error}, which a retry would only repeat. Either way the
 * message is logged under the request id, not returned (it may name tables and statements).
 */
final class MetadataExceptionHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataExceptionHandlers.class);
    private static final int ER_OPTION_PREVENTS_STATEMENT = 1290;
    private static final int ER_READ_ONLY_MODE = 1836;

    private MetadataExceptionHandlers() {}

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static class Metadata implements ExceptionHandler<DataAccessException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, DataAccessException exception) {
            return answer(request, exception);
        }
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static class Transaction implements ExceptionHandler<TransactionException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, TransactionException exception) {
            return answer(request, exception);
        }
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static class Connection implements ExceptionHandler<ConnectionException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ConnectionException exception) {
            return answer(request, exception);
        }
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static class NoConnection implements ExceptionHandler<CannotGetJdbcConnectionException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, CannotGetJdbcConnectionException exception) {
            return answer(request, exception);
        }
    }

    private static HttpResponse<Problem> answer(HttpRequest<?> request, RuntimeException exception) {
        String requestId = RequestIds.of(request);
        if (isTransient(exception)) {
            LOG.warn("metadata database unavailable on request {}: {}", requestId, exception.toString());
            return Problems.response(
                    request,
                    ErrorCode.METADATA_UNAVAILABLE,
                    "The metadata database cannot be reached; the write was not acknowledged. Retry later.",
                    null,
                    Map.of());
        }
        LOG.error("metadata database refused a statement on request {}", requestId, exception);
        return Problems.response(
                request,
                ErrorCode.INTERNAL,
                "The request failed; quote the request id when reporting it.",
                null,
                Map.of());
    }

    /**
     * Whether asking again may succeed: no connection to be had, one lost (SQLState class 08), a
     * transaction the database rolled back itself (class 40: a deadlock, a Galera certification
     * failure, a lock wait that ran out), or a primary that turned read-only. Not code that asked for the current connection where
     * there was none: Micronaut Data says so with a ConnectionException too, but it is a bug of
     * the gateway that every retry repeats.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoConnectionException) {
                return false;
            }
            if (t instanceof CannotGetJdbcConnectionException
                    || t instanceof ConnectionException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && ((sql.getSQLState() != null
                                    && (sql.getSQLState().startsWith("08")
                                            || sql.getSQLState().startsWith("40")))
                            || isReadOnly(sql))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A primary that turned read-only, as a failover leaves the old one: MySQL's and MariaDB's 1290
     * naming {@code --read-only} or {@code --super-read-only} (1290 is also answered for other
     * options the gateway never meets), and MySQL's 1836. The writable primary takes the write.
     */
    private static boolean isReadOnly(SQLException sql) {
        return sql.getErrorCode() == ER_READ_ONLY_MODE
                || (sql.getErrorCode() == ER_OPTION_PREVENTS_STATEMENT
                        && String.valueOf(sql.getMessage()).contains("read-only"));
    }
}
