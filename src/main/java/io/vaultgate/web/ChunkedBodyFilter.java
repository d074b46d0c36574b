package io.vaultgate.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.filter.FilterPatternStyle;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Refuses a chunked body (whose length is not announced) with 413 {@code request-too-large} once
 * the bytes counted pass its route's limit ({@link RequestLimitsProperties}). {@link BodySizeFilter}
 * starts the count as the request arrives, so it sees every chunk and stops the body at the limit;
 * this filter waits for its verdict, which comes when the whole body has arrived, at the client's
 * pace, while the request holds one of the replica's admission permits ({@link AdmissionFilter}).
 * So it waits only after authentication (the bearer-token filter's order is 0): a client without
 * a valid token is answered 401 before its body is waited for, and cannot spend the replica's
 * permits by sending it slowly. On the paths open without a token it does not wait at all: their
 * routes read no body, and no authentication comes before them.
 */
@ServerFilter(patterns = OpenPaths.ALL_BUT_OPEN_PATHS, patternStyle = FilterPatternStyle.REGEX)
class ChunkedBodyFilter implements Ordered {

    /** Right after authentication. */
    static final int ORDER = 1;

    private static final String COUNT = "vaultgate.chunked-body-count";

    @RequestFilter
    @SuppressWarnings("unchecked")
    CompletableFuture<@Nullable MutableHttpResponse<?>> awaitTheCount(HttpRequest<?> request) {
        return request.getAttribute(COUNT, CompletableFuture.class)
                .map(count -> (CompletableFuture<@Nullable MutableHttpResponse<?>>) count)
                .orElseGet(() -> CompletableFuture.completedFuture(null));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /**
     * Counts a copy of the body as it arrives, for this filter to wait on; the route reads the
     * original, which holds what has arrived so far, at most the limit and one chunk when the count
     * stops it.
     */
    static void startCounting(HttpRequest<?> request, ByteBody body, long limit) {
        CompletableFuture<@Nullable MutableHttpResponse<?>> verdict = new CompletableFuture<>();
        request.setAttribute(COUNT, verdict);
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
                            verdict.complete(BodySizeFilter.tooLarge(request, limit));
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
    }
}
