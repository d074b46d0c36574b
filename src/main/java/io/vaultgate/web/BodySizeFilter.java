package io.vaultgate.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Map;

/**
 * Refuses a request body larger than its route takes ({@link RequestLimitsProperties}) with 413
 * {@code request-too-large} by its {@code Content-Length}, before a byte of it is read and before
 * authentication, so an oversized request costs no token lookup. A chunked body, whose length is
 * not announced, is counted from its first byte on a copy of the stream, and refused by
 * {@link ChunkedBodyFilter} after authentication.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
class BodySizeFilter implements Ordered {

    private final RequestLimitsProperties limits;

    BodySizeFilter(RequestLimitsProperties limits) {
        this.limits = limits;
    }

    @RequestFilter
    @Nullable
    MutableHttpResponse<?> refuseOversizedBodies(HttpRequest<?> request) {
        long limit = limits.bodyBytesFor(request.getMethod(), request.getPath());
        long announced = request.getContentLength();
        if (announced > limit) {
            return tooLarge(request, limit);
        }
        if (announced < 0
                && request.getHeaders().contains(HttpHeaders.TRANSFER_ENCODING)
                && request instanceof ServerHttpRequest<?> streamed) {
            ChunkedBodyFilter.startCounting(request, streamed.byteBody(), limit);
        }
        return null;
    }

    @Override
    public int getOrder() {
        return AdmissionFilter.ORDER + 1;
    }

    static MutableHttpResponse<?> tooLarge(HttpRequest<?> request, long limit) {
        return Problems.response(
                request,
                ErrorCode.REQUEST_TOO_LARGE,
                "The request body is larger than the " + limit + " bytes this endpoint accepts.",
                null,
                Map.of("limitBytes", limit));
    }
}
