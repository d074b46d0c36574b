package io.vaultgate.vault;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK client, with {@link #sendAsync(HttpRequest, HttpResponse.BodyHandler)} done on the
 * calling thread. Spring's request factory sends through {@code sendAsync} and waits for the
 * answer; the JDK client then completes every such exchange on {@code CompletableFuture}'s default
 * executor, which on a machine of two or fewer CPUs is a new thread per task: a thread started
 * and ended for every Vault call. The caller waits for the answer anyway, so sending synchronously
 * costs it nothing and keeps the gateway's threads to its fixed pools. Spring bounds the wait
 * for an asynchronous answer itself; a synchronous one is bounded by the read timeout set on the
 * request here, which the JDK client enforces.
 */
final class SynchronousHttpClient extends HttpClient {

    private final HttpClient client;
    private final Duration readTimeout;
    private final LongAdder sent = new LongAdder();

    SynchronousHttpClient(HttpClient client, Duration readTimeout) {
        this.client = client;
        this.readTimeout = readTimeout;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
            HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler) {
        sent.increment();
        try {
            return CompletableFuture.completedFuture(client.send(withTimeout(request), responseBodyHandler));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
            HttpRequest request,
            HttpResponse.BodyHandler<T> responseBodyHandler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return sendAsync(request, responseBodyHandler);
    }

    /** Requests sent to Vault so far, answered or not. */
    long sent() {
        return sent.sum();
    }

    private HttpRequest withTimeout(HttpRequest request) {
        if (request.timeout().isPresent()) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .timeout(readTimeout)
                .build();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler)
            throws IOException, InterruptedException {
        sent.increment();
        return client.send(request, responseBodyHandler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return client.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return client.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return client.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return client.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return client.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return client.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return client.authenticator();
    }

    @Override
    public Version version() {
        return client.version();
    }

    @Override
    public Optional<Executor> executor() {
        return client.executor();
    }
}
