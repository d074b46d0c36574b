package io.vaultgate.vault;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.vault.authentication.SimpleSessionManager;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;

/** Builds the {@link VaultTemplate}s of the gateway's own token: one for token lookups, one for everything else. */
@Factory
@Requires(property = "vaultgate.mode", value = "production")
class VaultClientFactory {

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

    /** The name of the template token lookups use. */
    static final String LOOKUPS = "token-lookups";

    @Singleton
    @Primary
    @Bean(preDestroy = "destroy")
    VaultTemplate vaultTemplate(VaultProperties vault, VaultPoolProperties pool) {
        return create(vault, pool);
    }

    @Singleton
    @Named(LOOKUPS)
    @Bean(preDestroy = "destroy")
    VaultTemplate lookupTemplate(VaultProperties vault) {
        return createForLookups(vault);
    }

    /** Also used by integration tests, which build the adapters without a Micronaut context. */
    static VaultTemplate create(VaultProperties vault, VaultPoolProperties pool) {
        requireAddressAndToken(vault);
        Duration connectTimeout = connectTimeout(vault);
        Duration readTimeout = readTimeout(vault);
        HttpClient httpClient = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // HTTP/1.1: over plain http the JDK client would otherwise try an h2c upgrade on
                // every request, which Vault's Go server ignores; nothing is gained by asking.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newFixedThreadPool(pool.gatewayClientThreads(), daemonThreads()))
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(readTimeout);
        // A static token: no login, no renewal by Spring Vault. The token is periodic or long-lived
        // and managed outside the gateway (vault-config/).
        return new VaultTemplate(
                VaultEndpoint.from(vault.uri()),
                requestFactory,
                new SimpleSessionManager(new TokenAuthentication(vault.token())));
    }

    /**
     * The template of token lookups: the gateway's token on {@code HttpURLConnection} with
     * keep-alive, answered on the calling thread. A lookup stands before every fresh token's first
     * boot fetch; through the JDK client its answer hops from the client's selector thread to its
     * executor and on to the waiting request thread, which costs about as much again as the call
     * (bench/run.sh load), the same reason the caller reads use {@code HttpURLConnection}. Writes
     * stay on the JDK client: {@code HttpURLConnection} cannot send the {@code PATCH} of a large
     * entry's steps. Also used by integration tests, which build the adapters without a Micronaut
     * context.
     */
    static VaultTemplate createForLookups(VaultProperties vault) {
        requireAddressAndToken(vault);
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(connectTimeout(vault));
        requests.setReadTimeout(readTimeout(vault));
        return new VaultTemplate(
                VaultEndpoint.from(vault.uri()),
                requests,
                new SimpleSessionManager(new TokenAuthentication(vault.token())));
    }

    private static void requireAddressAndToken(VaultProperties vault) {
        if (vault.uri() == null) {
            throw new IllegalStateException("vaultgate.vault.uri (VAULT_ADDR) must be set in production mode");
        }
        if (vault.token() == null || vault.token().isBlank()) {
            throw new IllegalStateException("vaultgate.vault.token (VAULT_TOKEN) must be set in production mode");
        }
    }

    private static Duration connectTimeout(VaultProperties vault) {
        return vault.connectTimeout() == null ? DEFAULT_CONNECT_TIMEOUT : vault.connectTimeout();
    }

    private static Duration readTimeout(VaultProperties vault) {
        return vault.readTimeout() == null ? DEFAULT_READ_TIMEOUT : vault.readTimeout();
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
