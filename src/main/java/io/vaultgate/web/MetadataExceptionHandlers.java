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
 * Failures of the metadata database, answered by what asking again would do
 * ({@link MetadataFailure}): 503 {@code metadata-unavailable} when it may succeed, 409
 * {@code concurrent-change} when a concurrent request wrote the same row first, 500
 * {@code internal-error} when it would only repeat the failure. The log line carries the request id
 * and the failure {@link Redacted}: the database's messages quote statements and values (a
 * duplicate key names the key's values), so they are neither returned nor logged.
 */
final class MetadataExceptionHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataExceptionHandlers.class);

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
        return switch (MetadataFailure.of(exception)) {
            case UNAVAILABLE -> {
                LOG.warn("metadata database unavailable on request {}: {}", requestId, Redacted.describe(exception));
                yield Problems.response(
                        request,
                        ErrorCode.METADATA_UNAVAILABLE,
                        "The metadata database cannot be reached; the write was not acknowledged. Retry later.",
                        null,
                        Map.of());
            }
            case CONFLICT -> {
                LOG.info(
                        "a concurrent request wrote the same row first, on request {}: {}",
                        requestId,
                        Redacted.describe(exception));
                yield Problems.response(
                        request,
                        ErrorCode.CONCURRENT_CHANGE,
                        "A concurrent request changed the same thing at the same moment, so this request was not"
                                + " applied. Send it again: it will see that change.",
                        null,
                        Map.of());
            }
            case FAULT -> {
                LOG.error("metadata database refused a statement on request {}", requestId, Redacted.of(exception));
                yield Problems.response(
                        request,
                        ErrorCode.INTERNAL,
                        "The request failed; quote the request id when reporting it.",
                        null,
                        Map.of());
            }
        };
    }
}
