package io.vaultgate.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.body.ByteBody;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Refuses a request body larger than its route takes ({@link RequestLimitsProperties}) with 413
 * {@code request-too-large}, before the body is buffered: by its {@code Content-Length} before a
 * byte of it is read, and a chunked body (whose length is not announced) as soon as the bytes
 * counted on a copy of the stream pass the limit. Runs before authentication, so an oversized
 * request costs no token lookup either.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
class BodySizeFilter implements Ordered {

    private final RequestLimitsProperties limits;

    BodySizeFilter(RequestLimitsProperties limits) {
        this.limits = limits;
    }

    @RequestFilter
    CompletableFuture<@Nullable MutableHttpResponse<?>> refuseOversizedBodies(HttpRequest<?> request) {
        long limit = limits.bodyBytesFor(request.getMethod(), request.getPath());
        long announced = request.getContentLength();
        if (announced > limit) {
            return CompletableFuture.completedFuture(tooLarge(request, limit));
        }
        if (announced < 0
                && request.getHeaders().contains(HttpHeaders.TRANSFER_ENCODING)
                && request instanceof ServerHttpRequest<?> streamed) {
            return countChunked(request, streamed.byteBody(), limit);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public int getOrder() {
        return AdmissionFilter.ORDER + 1;
    }

    /**
     * Counts a copy of the body as it arrives; the route reads the original, which holds what has
     * arrived so far, at most the limit and one chunk when the count stops it.
     */
    private static CompletableFuture<@Nullable MutableHttpResponse<?>> countChunked(
            HttpRequest<?> request, ByteBody body, long limit) {
        CompletableFuture<@Nullable MutableHttpResponse<?>> verdict = new CompletableFuture<>();
        body.split(ByteBody.SplitBackpressureMode.FASTEST)
                .toByteArrayPublisher()
                .subscribe(new Subscriber<>() {
                    private Subscription subscription;
                    private long counted;

                    @Override
                    public void onSubscribe(Subscription s) {
                        subscription = s;
                        s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(byte[] chunk) {
                        counted += chunk.length;
                        if (counted > limit && !verdict.isDone()) {
                            subscription.cancel();
                            verdict.complete(tooLarge(request, limit));
                        }
                    }

                    @Override
                    public void onError(Throwable failure) {
                        // The original stream fails the same way (a broken connection, or past the server's own
                        // max-request-size), and the framework answers that as it reads it.
                        verdict.complete(null);
                    }

                    @Override
                    public void onComplete() {
                        verdict.complete(null);
                    }
                });
        return verdict;
    }

    private static MutableHttpResponse<?> tooLarge(HttpRequest<?> request, long limit) {
        return Problems.response(
                request,
                ErrorCode.REQUEST_TOO_LARGE,
                "The request body is larger than the " + limit + " bytes this endpoint accepts.",
                null,
                Map.of("limitBytes", limit));
    }
}
