package io.vaultgate.values;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.Problem;
import io.vaultgate.web.Problems;
import io.vaultgate.web.RequestIds;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure of the value store becomes 503 with {@code Retry-After} (unreachable, sealed, a standby
 * without a leader) or 502 (it refused the call).
 * Its message is logged (it names paths and versions, never values) but not returned: callers get
 * the request id instead.
 */
@Singleton
@Produces(Problem.MEDIA_TYPE)
class ValueStoreExceptionHandler implements ExceptionHandler<ValueStoreException, HttpResponse<Problem>> {

    /**
     * What Vault's own outages last: a Raft election, a standby redirecting while it has no leader,
     * a node being unsealed. A client asked to wait that long finds most of them over.
     */
    static final String RETRY_AFTER_SECONDS = "2";

    private static final Logger LOG = LoggerFactory.getLogger(ValueStoreExceptionHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ValueStoreException exception) {
        LOG.warn("value store failure on request {}: {}", RequestIds.of(request), exception.getMessage());
        if (exception instanceof ValueStoreUnavailableException) {
            return Problems.response(
                            request,
                            ErrorCode.VALUE_STORE_UNAVAILABLE,
                            "The value store (Vault) cannot be reached or is sealed; nothing was acknowledged. Retry later, "
                                    + "with the same Idempotency-Key: a write that reached it is completed, not applied twice.",
                            null,
                            Map.of())
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return Problems.response(
                request,
                ErrorCode.VALUE_STORE_FAILED,
                "The value store (Vault) refused the operation; nothing was acknowledged.",
                null,
                Map.of());
    }
}
