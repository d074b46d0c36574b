package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two replicas whose hosts disagree about the time, on real OpenBao and MariaDB: the second one's
 * clock runs ten minutes ahead. A write in flight on the first (its Vault answers held for a few
 * seconds, well within stale-after) is not taken for stale by the second, because staleness is
 * judged on the database's clock; the second waits its turn and both writes are acknowledged
 * by their own writers.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClockSkewIT extends GatewayTest {

    private static final String SCOPE = "/v1/projects/skew/environments/prod";

    private ApiClient api;
    private EmbeddedServer ahead;
    private ApiClient aheadApi;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("vaultgate.vault.uri", vaultThroughRelay());
        properties.put("vaultgate.reconciler.interval", "1h");
        properties.put("vaultgate.reconciler.stale-after", "30s");
        properties.put("vaultgate.reconciler.lock-wait", "15s");
        properties.put("vaultgate.auth.cache-ttl", "10m"); // the admin's lookup is not held with the answers
        return properties;
    }

    @BeforeAll
    void startTheReplicaWhoseClockRunsAhead() {
        api = admin();
        ok(api.put("/v1/projects/skew", null));
        ok(api.put(SCOPE, json("type", "production")));
        Map<String, Object> properties = new HashMap<>(getProperties());
        properties.put("vaultgate.vault.uri", stack().vaultAddress());
        properties.put("test.clock-ahead", "10m");
        properties.put("micronaut.server.port", "-1");
        ahead = ApplicationContext.run(EmbeddedServer.class, properties, "production");
        aheadApi = new ApiClient(URI.create(ahead.getURL().toString()), stack().adminToken());
        ok(api.get(SCOPE + "/secrets"));
    }

    @AfterAll
    void stop() {
        if (ahead != null) {
            ahead.getApplicationContext().close();
        }
    }

    @Test
    void aReplicaWhoseClockRunsAheadDoesNotTakeOverAWriteStillInFlight() throws Exception {
        ok(api.put(SCOPE + "/secrets/BASE", json("value", "0")));
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            vaultRelay().holdAnswers();
            Future<Answer> slow;
            Future<Answer> other;
            try {
                slow = writers.submit(() -> api.put(SCOPE + "/secrets/SLOW", json("value", "a")));
                awaitPending();
                other = writers.submit(() -> aheadApi.put(SCOPE + "/secrets/OTHER", json("value", "b")));
                Thread.sleep(2_000);
            } finally {
                vaultRelay().releaseAnswers();
            }
            Answer slowAnswer = slow.get(60, TimeUnit.SECONDS);
            Answer otherAnswer = other.get(60, TimeUnit.SECONDS);

            assertThat(slowAnswer.status())
                    .as("the slow write is acknowledged by its own writer: %s", slowAnswer)
                    .isEqualTo(201);
            assertThat(otherAnswer.status())
                    .as("the other replica waited its turn: %s", otherAnswer)
                    .isEqualTo(201);
        } finally {
            writers.shutdownNow();
        }
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE outcome = 'completed-by-reconciler'"))
                .as("no one settled a write whose writer was still in flight")
                .isZero();
        assertThat(api.get(SCOPE + "/secrets/SLOW").status()).isEqualTo(200);
        assertThat(api.get(SCOPE + "/secrets/OTHER").status()).isEqualTo(200);
    }

    private void awaitPending() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count("SELECT COUNT(*) FROM change_set WHERE status = 'pending'") == 0) {
            assertThat(System.nanoTime()).as("the slow write took its scope").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
