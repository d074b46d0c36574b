package io.vaultgate.vault;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.testing.RealParts;
import io.vaultgate.testing.VaultHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway's own Vault token read from {@code vaultgate.vault.token-file}, renewed while it
 * runs and replaced without a restart, on real OpenBao: the tokens here are periodic with a
 * period of {@value #PERIOD_SECONDS} s, so a token the gateway stops renewing dies within the
 * test.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayTokenRotationIT extends GatewayTest {

    private static final int PERIOD_SECONDS = 6;
    private static final String DEPLOYMENT = "/v1/projects/rot/environments/production/services/api";

    private Map<String, String> properties;
    private Path tokenFile;
    private ApiClient api;
    private EnvClient env;
    private LogCapture logs;
    private final List<String> tokensUsed = new ArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();

    @Override
    protected Map<String, String> extraProperties() {
        if (properties != null) {
            return properties;
        }
        try {
            tokenFile = Files.createTempDirectory("vaultgate-token").resolve("token");
            String first = periodicGatewayToken();
            Files.writeString(tokenFile, first + "\n");
            keepAliveUntilStarted(first);
            properties = Map.of(
                    // What an older gateway would use: it ignores the file and never renews.
                    "vaultgate.vault.token", first,
                    "vaultgate.vault.token-file", tokenFile.toString(),
                    "vaultgate.vault.token-file-check", "500ms",
                    "vaultgate.vault.token-renew-check", "500ms",
                    // Every request's token lookup then goes to Vault with the gateway's token.
                    "vaultgate.auth.cache-ttl", "50ms");
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The gateway takes longer than a period to start on a busy machine: until it has started,
     * the test renews the first token itself, so that what is measured is the gateway's renewal.
     */
    private void keepAliveUntilStarted(String token) {
        Thread keeper = new Thread(() -> {
            while (!started.get()) {
                stack().vault("POST", "auth/token/renew-self", token, Map.of());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        keeper.setDaemon(true);
        keeper.start();
    }

    @BeforeAll
    void createCatalog() {
        started.set(true);
        logs = new LogCapture();
        api = admin();
        env = new EnvClient(URI.create(server.getURL().toString()));
        ok(api.put("/v1/projects/rot", null));
        ok(api.put("/v1/projects/rot/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/rot/services/api", null));
        ok(api.put(DEPLOYMENT, null));
        ok(api.put(DEPLOYMENT + "/secrets/START", json("value", "1")));
    }

    @AfterAll
    void stopCapturing() {
        logs.close();
    }

    @Test
    void aPeriodicGatewayTokenOutlivesItsPeriodBecauseTheGatewayRenewsIt() throws Exception {
        String inUse = Files.readString(tokenFile).strip();

        Thread.sleep(PERIOD_SECONDS * 2_500L);

        assertThat(stack().vault("GET", "auth/token/lookup-self", inUse, null).status())
                .as("the gateway's token is alive after two and a half periods")
                .isEqualTo(200);
        ok(api.put(DEPLOYMENT + "/secrets/AFTER_PERIODS", json("value", "2")));
        String workload = mint();
        assertThat(env.fetch(workload, "?format=json", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void writesAndBootFetchesKeepSucceedingWhileTheTokenFileIsSwappedAndTheOldTokenRevoked() throws Exception {
        String workload = mint();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger fetches = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> load = new ArrayList<>();
        for (String scope : List.of(DEPLOYMENT, "/v1/projects/rot")) {
            load.add(started(() -> {
                int n = 0;
                while (running.get()) {
                    String what = "PUT " + scope;
                    try {
                        Answer answer = api.put(scope + "/secrets/ROTATING", json("value", "v" + n++));
                        if (answer.status() == 200 || answer.status() == 201) {
                            writes.incrementAndGet();
                        } else {
                            failures.add(what + " -> " + answer.status() + " " + answer.code());
                        }
                        Thread.sleep(40);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        failures.add(what + " -> " + e);
                    }
                }
            }));
        }
        for (int i = 0; i < 2; i++) {
            load.add(started(() -> {
                while (running.get()) {
                    try {
                        EnvClient.Fetch fetch = env.fetch(workload, "?format=json", Map.of());
                        if (fetch.status() == 200) {
                            fetches.incrementAndGet();
                        } else {
                            failures.add("GET /v1/env -> " + fetch.status());
                        }
                    } catch (RuntimeException e) {
                        failures.add("GET /v1/env -> " + e);
                    }
                }
            }));
        }
        try {
            Thread.sleep(1_500);
            String old = Files.readString(tokenFile).strip();
            String next = periodicGatewayToken();
            replaceAtomically(tokenFile, next);
            // At once, before the gateway's next look at the file: requests in flight with the
            // old token are refused by Vault and must go through with the new one.
            VaultHttp.Response revoked =
                    stack().vault("POST", "auth/token/revoke", stack().rootToken(), Map.of("token", old));
            assertThat(revoked.ok()).as(revoked.errors()).isTrue();
            assertThat(stack().vault("GET", "auth/token/lookup-self", old, null).status())
                    .isEqualTo(403);
            // Past two periods of the new token: it lives only if the renewal follows it.
            Thread.sleep(PERIOD_SECONDS * 2_500L);
            assertThat(stack().vault("GET", "auth/token/lookup-self", next, null)
                            .status())
                    .as("the new token is renewed")
                    .isEqualTo(200);
        } finally {
            running.set(false);
            for (Thread thread : load) {
                thread.join(30_000);
            }
        }

        assertThat(failures).as("requests that failed during the rotation").isEmpty();
        assertThat(writes.get()).isGreaterThan(20);
        assertThat(fetches.get()).isGreaterThan(20);
        for (String token : tokensUsed) {
            assertThat(logs.text()).doesNotContain(token);
        }
    }

    /** A token as vault-config/README.md has the operator mint it, with a short period. */
    private String periodicGatewayToken() {
        VaultHttp.Response created = stack().vault(
                        "POST",
                        "auth/token/create-orphan",
                        stack().rootToken(),
                        Map.of(
                                "policies",
                                List.of("vaultgate-gateway"),
                                "no_default_policy",
                                true,
                                "period",
                                PERIOD_SECONDS + "s",
                                "display_name",
                                "vaultgate-gateway"));
        assertThat(created.ok()).as(created.errors()).isTrue();
        String token = created.body().path("auth").path("client_token").asText();
        tokensUsed.add(token);
        return token;
    }

    /** As an operator should: the new file complete before it takes the old one's name. */
    private static void replaceAtomically(Path file, String token) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, token + "\n");
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body, "rotation-load");
        thread.start();
        return thread;
    }

    private String mint() {
        Answer minted = api.post(DEPLOYMENT + "/tokens", json("ttlSeconds", 900));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 299);
    }
}
