package io.vaultgate.vault;

import io.micronaut.context.annotation.Requires;
import io.vaultgate.access.CallerToken;
import io.vaultgate.delivery.CallerReads;
import io.vaultgate.delivery.CallerTokenRefusedException;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.VersionedEntry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.web.client.HttpClientErrorException;

/**
 * KV v2 reads of current versions made with the caller's token ({@code X-Vault-Token}), all of
 * one fetch in parallel: a boot fetch costs the slowest of its reads, not their sum.
 *
 * <p>These reads go through a {@link VaultTemplate} of their own, used statelessly (it never sends
 * the gateway's token), on {@code HttpURLConnection} with keep-alive: a blocking read on the
 * calling thread. Measured with bench/run.sh, five parallel reads cost about half as much this
 * way as through the JDK HttpClient adapter, whose responses hop between its selector and
 * executor threads. The JDK keeps {@code http.maxConnections} idle connections per host (default
 * 5, one fetch's worth); set it higher (e.g. {@code -Dhttp.maxConnections=64}) for many
 * concurrent boots.
 */
@Singleton
@Requires(property = "vaultgate.mode", value = "production")
class VaultCallerReads implements CallerReads {

    private static final String TOKEN_HEADER = "X-Vault-Token";

    private final VaultCalls calls;
    private final KvLayout layout;
    private final VaultTemplate template;
    /** At most {@code callerReadThreads} reads in flight here; past that a read runs on the requesting thread. */
    private final ExecutorService readers;

    VaultCallerReads(VaultCalls calls, VaultProperties vault, VaultPoolProperties pool) {
        this.calls = calls;
        this.readers = new ThreadPoolExecutor(
                0,
                pool.callerReadThreads(),
                60,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                daemonThreads(),
                new ThreadPoolExecutor.CallerRunsPolicy());
        this.layout = new KvLayout(vault);
        SimpleClientHttpRequestFactory requests = requestFactory(VaultTrust.of(vault));
        requests.setConnectTimeout(vault.connectTimeout() == null ? Duration.ofSeconds(2) : vault.connectTimeout());
        requests.setReadTimeout(vault.readTimeout() == null ? Duration.ofSeconds(5) : vault.readTimeout());
        if (vault.uri() == null) {
            throw new IllegalStateException("vaultgate.vault.uri (VAULT_ADDR) must be set in production mode");
        }
        // No session: this template is only used through doWithVault, with the caller's token.
        this.template = new VaultTemplate(VaultEndpoint.from(vault.uri()), StandbyRedirects.refused(requests), () -> {
            throw new IllegalStateException("caller reads never use the gateway's session");
        });
    }

    @Override
    public List<Optional<VersionedEntry>> readAs(CallerToken token, List<EntryPath> reads) {
        List<CompletableFuture<Optional<VersionedEntry>>> pending = new ArrayList<>();
        for (int i = 1; i < reads.size(); i++) {
            EntryPath read = reads.get(i);
            pending.add(CompletableFuture.supplyAsync(() -> read(token, read), readers));
        }
        List<Optional<VersionedEntry>> answers = new ArrayList<>();
        RuntimeException failure = null;
        try {
            answers.add(reads.isEmpty() ? null : read(token, reads.get(0)));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (CompletableFuture<Optional<VersionedEntry>> future : pending) {
            try {
                answers.add(future.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                // A refusal says more than an outage that happened alongside it.
                if (failure == null || cause instanceof CallerTokenRefusedException) {
                    failure = cause;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return reads.isEmpty() ? List.of() : answers;
    }

    private Optional<VersionedEntry> read(CallerToken token, EntryPath entry) {
        String vaultPath = layout.dataPath(entry);
        HttpHeaders headers = new HttpHeaders();
        headers.set(TOKEN_HEADER, token.token());
        return calls.asCaller(
                vaultPath,
                () -> template.doWithVault(rest -> {
                    try {
                        return KvEntries.readCurrent(rest, vaultPath, headers);
                    } catch (HttpClientErrorException.Forbidden | HttpClientErrorException.Unauthorized e) {
                        // Vault says "permission denied" alike for a revoked token, one out of uses and a
                        // path its policy does not grant; the body is not read (it may echo the request).
                        throw new CallerTokenRefusedException("vault refused the caller's token on " + vaultPath);
                    }
                }));
    }

    /**
     * {@code HttpURLConnection} takes its trust per connection; one socket factory for all of them,
     * because the JDK reuses a kept-alive connection only for the same factory.
     */
    private static SimpleClientHttpRequestFactory requestFactory(Optional<SSLContext> trust) {
        SSLSocketFactory sockets = trust.map(SSLContext::getSocketFactory).orElse(null);
        return new SimpleClientHttpRequestFactory() {
            @Override
            protected void prepareConnection(HttpURLConnection connection, String method) throws IOException {
                if (sockets != null && connection instanceof HttpsURLConnection https) {
                    https.setSSLSocketFactory(sockets);
                }
                super.prepareConnection(connection, method);
                // HttpURLConnection follows a GET's redirect on its own; a standby's names a dead leader.
                connection.setInstanceFollowRedirects(false);
            }
        };
    }

    @PreDestroy
    void stop() throws Exception {
        readers.shutdownNow();
        template.destroy();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "vault-caller-read-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
