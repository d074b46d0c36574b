package io.vaultgate.restart;

import com.standardwebhooks.exceptions.WebhookSigningException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Posts one signed event to one hook: Standard Webhooks headers ({@code webhook-id} is the
 * event id, stable across retries, so receivers can drop duplicates), redirects never followed.
 *
 * <p>Connections are opened through a resolver that asks {@link HookUrlPolicy#approvedAddresses}
 * with the hook's project networks: the addresses it connects to are those one resolution answered
 * and the policy approved, while TLS (SNI and hostname verification) still uses the URL's host.
 * Kept-alive connections are pooled per set of project networks, never shared between sets: a
 * connection approved under one project's list (or a list since changed) never carries a send
 * another list would refuse. At most {@link #MAX_POOLS} sets keep a pool; the least recently used
 * is closed first.
 *
 * <p>Only the status line, headers and at most {@link #MAX_DRAINED_BODY} bytes of body are read,
 * and the body is discarded (it is the receiver's, not ours to read or log): a receiver that sends
 * more gets its connection closed rather than reused. The whole exchange has a deadline.
 */
@Singleton
class WebhookSender {

    private static final int MAX_POOLS = 64;
    /** Body bytes read (and discarded) so that a kept-alive connection can carry the next send. */
    private static final int MAX_DRAINED_BODY = 16 * 1024;

    /** A receiver's status line and headers, bounded so an answer cannot be made endless. */
    private static final Http1Config ANSWER_LIMITS =
            Http1Config.custom().setMaxLineLength(8192).setMaxHeaderCount(100).build();

    private final HookUrlPolicy policy;
    private final RestartProperties properties;
    private final Clock clock;
    private final TlsSocketStrategy tls = DefaultClientTlsStrategy.createSystemDefault();
    private final HttpConnectionFactory<ManagedHttpClientConnection> connections =
            ManagedHttpClientConnectionFactory.builder()
                    .http1Config(ANSWER_LIMITS)
                    .build();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final Map<HookNetworks, CloseableHttpClient> clients = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<HookNetworks, CloseableHttpClient> eldest) {
            if (size() <= MAX_POOLS) {
                return false;
            }
            eldest.getValue().close(CloseMode.GRACEFUL);
            return true;
        }
    };

    WebhookSender(HookUrlPolicy policy, RestartProperties properties, Clock clock) {
        this.policy = policy;
        this.properties = properties;
        this.clock = clock;
    }

    /** What happened: a status code, or the class of why there is none; and Retry-After if sent. */
    record Result(Integer statusCode, DeliveryError error, Optional<Duration> retryAfter, long durationMs) {

        static Result failed(DeliveryError error, long durationMs) {
            return new Result(null, error, Optional.empty(), durationMs);
        }

        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }

        boolean gone() {
            return statusCode != null && statusCode == 410;
        }
    }

    Result send(URI url, HookNetworks networks, com.standardwebhooks.Webhook signer, String eventId, String body) {
        Instant started = clock.instant();
        long timestamp = started.getEpochSecond();
        String signature;
        try {
            signature = signer.sign(eventId, timestamp, body);
        } catch (WebhookSigningException e) {
            return Result.failed(DeliveryError.SIGNING_FAILED, elapsed(started));
        }
        HttpPost post = new HttpPost(url);
        post.setHeader("user-agent", "Vaultgate-Webhooks/1");
        post.setHeader("webhook-id", eventId);
        post.setHeader("webhook-timestamp", Long.toString(timestamp));
        post.setHeader("webhook-signature", signature);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> {
                    late.set(true);
                    post.cancel();
                },
                properties.requestTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        CloseableHttpClient http = clientFor(networks);
        try (ClassicHttpResponse response = http.executeOpen(null, post, null)) {
            Header retryAfter = response.getFirstHeader("retry-after");
            Result result = new Result(
                    response.getCode(),
                    null,
                    RetrySchedule.parseRetryAfter(retryAfter == null ? null : retryAfter.getValue(), clock.instant()),
                    elapsed(started));
            drain(response, post);
            return result;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return Result.failed(DeliveryError.INTERRUPTED, elapsed(started));
            }
            return Result.failed(late.get() ? DeliveryError.TIMEOUT : DeliveryError.of(e), elapsed(started));
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * Reads and discards a short body so the connection can be kept alive. A longer one is not read
     * on: the exchange is aborted, which closes its connection at once (closing the body stream
     * would read it to its end).
     */
    private static void drain(ClassicHttpResponse response, HttpPost post) throws IOException {
        if (response.getEntity() == null) {
            return;
        }
        InputStream body = response.getEntity().getContent();
        byte[] buffer = new byte[4096];
        int read = 0;
        for (int n; (n = body.read(buffer)) >= 0; ) {
            read += n;
            if (read > MAX_DRAINED_BODY) {
                post.cancel();
                return;
            }
        }
        body.close();
    }

    /** The pooled client of these networks, connecting only where the policy approves for them. */
    private CloseableHttpClient clientFor(HookNetworks networks) {
        synchronized (clients) {
            return clients.computeIfAbsent(networks, this::newClient);
        }
    }

    private CloseableHttpClient newClient(HookNetworks networks) {
        DnsResolver approvedOnly = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return policy.approvedAddresses(host, networks);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        Timeout timeout = Timeout.of(properties.requestTimeout());
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(approvedOnly)
                .setTlsSocketStrategy(tls)
                .setConnectionFactory(connections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .setTimeToLive(TimeValue.ofMinutes(5))
                        .build())
                .setMaxConnTotal(properties.concurrency())
                .setMaxConnPerRoute(properties.concurrency())
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setDefaultRequestConfig(
                        RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .build();
    }

    private long elapsed(Instant started) {
        return Duration.between(started, clock.instant()).toMillis();
    }

    @PreDestroy
    void stop() {
        deadlines.shutdownNow();
        synchronized (clients) {
            clients.values().forEach(client -> client.close(CloseMode.IMMEDIATE));
            clients.clear();
        }
    }
}
