package io.vaultgate.web;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Back-pressure on real OpenBao and MariaDB: a replica configured for 2 request threads and 4
 * requests at once, hit by 40 boots at once.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionIT extends GatewayTest {

    private static final int IO_THREADS = 2;
    private static final int MAX_REQUESTS = 4;
    private static final int CALLER_READ_THREADS = 3;
    private static final int BOOTS = 40;
    private static final String API = "/v1/projects/burst/environments/production/services/api";

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "micronaut.executors.io.type", "fixed",
                "micronaut.executors.io.n-threads", String.valueOf(IO_THREADS),
                "vaultgate.admission.max-requests", String.valueOf(MAX_REQUESTS),
                "vaultgate.admission.retry-after", "1s",
                "vaultgate.vault.pool.caller-read-threads", String.valueOf(CALLER_READ_THREADS));
    }

    @BeforeAll
    void createDeploymentWithAKeyAtEveryScope() {
        api = admin();
        ok(api.put("/v1/projects/burst", null));
        ok(api.put("/v1/projects/burst/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/burst/services/api", null));
        ok(api.put(API, null));
        ok(api.put("/v1/projects/burst/secrets/AT_PROJECT", json("value", "p")));
        ok(api.put("/v1/projects/burst/environment-types/production/secrets/AT_TYPE", json("value", "t")));
        ok(api.put("/v1/projects/burst/environments/production/secrets/AT_ENVIRONMENT", json("value", "e")));
        ok(api.put("/v1/projects/burst/services/api/secrets/AT_SERVICE", json("value", "s")));
        ok(api.put(API + "/secrets/AT_DEPLOYMENT", json("value", "d")));
    }

    @Test
    void aBurstPastTheConfiguredRequestsIsRefusedWith503AndRetryAfterAndEveryBootGetsItsEnvironmentOnRetry()
            throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < BOOTS; i++) {
            tokens.add(mint());
        }
        ConcurrentLinkedQueue<Answer> refusals = new ConcurrentLinkedQueue<>();
        AtomicInteger served = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(BOOTS);
        List<Future<Answer>> boots = new ArrayList<>();
        for (String token : tokens) {
            ApiClient container = api.withToken(token);
            boots.add(clients.submit(() -> {
                start.await();
                Answer answer = container.get("/v1/env");
                while (answer.status() == 503) {
                    refusals.add(answer);
                    Thread.sleep(Duration.ofSeconds(Long.parseLong(answer.header("Retry-After")))
                            .toMillis());
                    answer = container.get("/v1/env");
                }
                served.incrementAndGet();
                return answer;
            }));
        }
        start.countDown();
        for (Future<Answer> boot : boots) {
            Answer answer = boot.get(3, TimeUnit.MINUTES);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().size()).isEqualTo(5);
        }
        clients.shutdown();

        assertThat(served).hasValue(BOOTS);
        assertThat(refusals).isNotEmpty();
        for (Answer refusal : refusals) {
            assertThat(refusal.contentType()).startsWith("application/problem+json");
            assertThat(refusal.code()).isEqualTo("overloaded");
            assertThat(refusal.header("Retry-After")).isEqualTo("1");
        }
        // Every permit came back: as many boots as the replica takes at once are all served.
        assertThat(concurrentBoots(MAX_REQUESTS)).containsOnly(200);
    }

    @Test
    void aBurstNeverGrowsTheRequestOrCallerReadThreadsPastTheConfiguredNumbers() throws Exception {
        String token = mint();
        ApiClient container = api.withToken(token);
        AtomicBoolean bursting = new AtomicBoolean(true);
        AtomicInteger mostRequestThreads = new AtomicInteger();
        AtomicInteger mostReadThreads = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (bursting.get()) {
                mostRequestThreads.accumulateAndGet(threadsNamed("io-executor-thread-"), Math::max);
                mostReadThreads.accumulateAndGet(threadsNamed("vault-caller-read-"), Math::max);
                Thread.onSpinWait();
            }
        });
        sampler.start();
        ExecutorService clients = Executors.newFixedThreadPool(BOOTS);
        List<Future<?>> burst = new ArrayList<>();
        for (int i = 0; i < BOOTS; i++) {
            burst.add(clients.submit(() -> {
                for (int n = 0; n < 5; n++) {
                    container.get("/v1/env");
                }
            }));
        }
        for (Future<?> client : burst) {
            client.get(3, TimeUnit.MINUTES);
        }
        bursting.set(false);
        sampler.join();
        clients.shutdown();

        assertThat(mostRequestThreads.get()).isBetween(1, IO_THREADS);
        assertThat(mostReadThreads.get()).isLessThanOrEqualTo(CALLER_READ_THREADS);
    }

    private List<Integer> concurrentBoots(int boots) throws Exception {
        String token = mint();
        ExecutorService clients = Executors.newFixedThreadPool(boots);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < boots; i++) {
            answers.add(clients.submit(() -> {
                start.await();
                return api.withToken(token).get("/v1/env").status();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get(1, TimeUnit.MINUTES));
        }
        clients.shutdown();
        return statuses;
    }

    private static int threadsNamed(String prefix) {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(prefix))
                .count();
    }

    private String mint() {
        Answer minted = api.post(API + "/tokens", json("ttlSeconds", 600));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
    }
}
