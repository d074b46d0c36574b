package io.vaultgate.vault;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;

/** Builds the one {@link VaultTemplate} the production adapters share. */
@Factory
@Requires(property = "vaultgate.mode", value = "production")
class VaultClientFactory {

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

    @Singleton
    GatewayToken gatewayToken(VaultProperties vault, GatewayTokenProperties source) {
        return GatewayToken.of(vault, source);
    }

    @Singleton
    @Bean(preDestroy = "destroy")
    VaultTemplate vaultTemplate(
            VaultProperties vault, VaultPoolProperties pool, GatewayToken token, MeterRegistry meters) {
        return create(
                vault,
                pool,
                token,
                client -> FunctionCounter.builder("vaultgate.vault.requests", client, SynchronousHttpClient::sent)
                        .description("HTTP requests the gateway sent to Vault with its own token, answered or not")
                        .register(meters));
    }

    /** Also used by integration tests, which build the adapters without a Micronaut context. */
    static VaultTemplate create(VaultProperties vault, VaultPoolProperties pool) {
        return create(vault, pool, GatewayToken.of(vault, null));
    }

    static VaultTemplate create(VaultProperties vault, VaultPoolProperties pool, GatewayToken token) {
        return create(vault, pool, token, client -> {});
    }

    private static VaultTemplate create(
            VaultProperties vault,
            VaultPoolProperties pool,
            GatewayToken token,
            Consumer<SynchronousHttpClient> counted) {
        if (vault.uri() == null) {
            throw new IllegalStateException("vaultgate.vault.uri (VAULT_ADDR) must be set in production mode");
        }
        Duration connectTimeout = vault.connectTimeout() == null ? DEFAULT_CONNECT_TIMEOUT : vault.connectTimeout();
        Duration readTimeout = vault.readTimeout() == null ? DEFAULT_READ_TIMEOUT : vault.readTimeout();
        HttpClient.Builder builder = HttpClient.newBuilder();
        VaultTrust.of(vault).ifPresent(builder::sslContext);
        HttpClient httpClient = builder.connectTimeout(connectTimeout)
                // HTTP/1.1: over plain http the JDK client would otherwise try an h2c upgrade on
                // every request, which Vault's Go server ignores; nothing is gained by asking.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newFixedThreadPool(pool.gatewayClientThreads(), daemonThreads()))
                .build();
        SynchronousHttpClient client = new SynchronousHttpClient(httpClient, readTimeout);
        counted.accept(client);
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(client);
        requestFactory.setReadTimeout(readTimeout);
        // No login: the session is the token as it is now (GatewayToken), which GatewayTokenUpkeep
        // renews and reloads from its file.
        return new VaultTemplate(VaultEndpoint.from(vault.uri()), StandbyRedirects.refused(requestFactory), token);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "vault-client-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
