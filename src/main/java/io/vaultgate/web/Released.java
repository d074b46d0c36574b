package io.vaultgate.web;

import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A response publisher that runs {@code release} exactly once, when the response completes,
 * fails, or its subscriber cancels (the client went away): a permit taken for a request is
 * never kept by a request that ended.
 */
final class Released<T> implements Publisher<T> {

    private final Publisher<T> upstream;
    private final Runnable release;
    private final AtomicBoolean released = new AtomicBoolean();

    Released(Publisher<T> upstream, Runnable release) {
        this.upstream = upstream;
        this.release = release;
    }

    @Override
    public void subscribe(Subscriber<? super T> downstream) {
        try {
            upstream.subscribe(new Subscriber<T>() {
                @Override
                public void onSubscribe(Subscription subscription) {
                    downstream.onSubscribe(new Subscription() {
                        @Override
                        public void request(long n) {
                            subscription.request(n);
                        }

                        @Override
                        public void cancel() {
                            try {
                                subscription.cancel();
                            } finally {
                                releaseOnce();
                            }
                        }
                    });
                }

                @Override
                public void onNext(T item) {
                    downstream.onNext(item);
                }

                @Override
                public void onError(Throwable failure) {
                    releaseOnce();
                    downstream.onError(failure);
                }

                @Override
                public void onComplete() {
                    releaseOnce();
                    downstream.onComplete();
                }
            });
        } catch (RuntimeException e) {
            releaseOnce();
            throw e;
        }
    }

    private void releaseOnce() {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}
