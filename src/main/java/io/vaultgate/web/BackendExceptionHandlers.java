package io.vaultgate.web;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.transaction.exceptions.TransactionException;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures of the two stores become 502/503 problems. Their messages are logged (they name
 * paths and versions, never values) but not returned: callers get the request id instead.
 */
final class BackendExceptionHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(BackendExceptionHandlers.class);

    private BackendExceptionHandlers() {
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static class Metadata implements ExceptionHandler<DataAccessException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, DataAccessException exception) {
            return unavailable(request, exception);
        }
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static class Transaction implements ExceptionHandler<TransactionException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, TransactionException exception) {
            return unavailable(request, exception);
        }
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static class Connection implements ExceptionHandler<ConnectionException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ConnectionException exception) {
            return unavailable(request, exception);
        }
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static class NoConnection implements ExceptionHandler<CannotGetJdbcConnectionException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, CannotGetJdbcConnectionException exception) {
            return unavailable(request, exception);
        }
    }

    private static HttpResponse<Problem> unavailable(HttpRequest<?> request, RuntimeException exception) {
        String requestId = RequestIds.of(request);
        LOG.warn("metadata database failure on request {}: {}", requestId, exception.toString());
        return Problems.response(request, ErrorCode.METADATA_UNAVAILABLE,
                "The metadata database cannot be reached; the write was not acknowledged. Retry later.", null, Map.of());
    }
}
