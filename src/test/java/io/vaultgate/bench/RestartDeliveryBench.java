package io.vaultgate.bench;

import static io.vaultgate.ApiClient.json;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Benchmark, not a test (run with {@code ./mvnw -B verify -Pbench -Dit.test=RestartDeliveryBench}):
 * a project-level change affecting 1,000 deployments, timed from the API's answer to the last
 * delivery at a local receiver, against a bare JDK HttpClient loop posting 1,000 signed
 * requests at the dispatcher's concurrency, plus one poll interval. Prints figures only. The one
 * hook may use every sender ({@code per-hook-concurrency} = concurrency), so a round sends at
 * most that many of its deliveries.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestartDeliveryBench extends GatewayTest {

    private static final int ENVIRONMENTS = 10;
    private static final int SERVICES = 100;
    private static final int CONCURRENCY = 16;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int ROUNDS = 5;

    @Override
    protected Map<String, String> extraProperties() {
        // One hook receives everything here, so it may use every sender, as the baseline loop does.
        return Map.of(
                "vaultgate.restart.poll-interval",
                POLL.toMillis() + "ms",
                "vaultgate.restart.concurrency",
                Integer.toString(CONCURRENCY),
                "vaultgate.restart.per-hook-concurrency",
                Integer.toString(CONCURRENCY),
                "vaultgate.restart.per-project-concurrency",
                Integer.toString(CONCURRENCY),
                "vaultgate.restart.batch-size",
                "500",
                // The set-up registers 1,000 deployments as fast as it can; that is not what is measured.
                "vaultgate.rate-limit.writes",
                "1000000");
    }

    @Test
    void projectChangeToThousandDeploymentsAgainstABareSignedLoop() throws Exception {
        ApiClient api = admin();
        api.put("/v1/projects/bench", null);
        api.put("/v1/projects/bench/hook-networks", json("allowedPrivate", List.of("127.0.0.1/32")));
        for (int s = 0; s < SERVICES; s++) {
            api.put("/v1/projects/bench/services/svc-" + s, null);
        }
        for (int e = 0; e < ENVIRONMENTS; e++) {
            api.put("/v1/projects/bench/environments/env-" + e, json("type", e == 0 ? "production" : "staging"));
            for (int s = 0; s < SERVICES; s++) {
                api.put("/v1/projects/bench/environments/env-" + e + "/services/svc-" + s, null);
            }
        }
        AtomicInteger received = new AtomicInteger();
        CountDownLatch[] expected = {new CountDownLatch(0)};
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        receiver.setExecutor(Executors.newFixedThreadPool(CONCURRENCY));
        receiver.createContext("/restart", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            expected[0].countDown();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/restart";
        Answer hook = api.post("/v1/projects/bench/hooks", json("url", url));
        Webhook signer = new Webhook(hook.json().path("secret").asText());
        int deployments = ENVIRONMENTS * SERVICES;

        List<Long> gateway = new ArrayList<>();
        List<Long> writeLatency = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            expected[0] = new CountDownLatch(deployments);
            long before = System.nanoTime();
            Answer write = api.put("/v1/projects/bench/secrets/SHARED", json("value", "round-" + round));
            long answered = System.nanoTime();
            if (write.json().path("restarts").size() != deployments) {
                throw new IllegalStateException("expected " + deployments + " restarts, got " + write.body());
            }
            if (!expected[0].await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("deliveries missing: " + expected[0].getCount());
            }
            gateway.add(System.nanoTime() - answered);
            writeLatency.add(answered - before);

            expected[0] = new CountDownLatch(deployments);
            bare.add(bareLoop(url, signer, deployments) + POLL.toNanos());
            expected[0].await(60, TimeUnit.SECONDS);
        }
        receiver.stop(0);

        long gatewayMedian = median(gateway);
        long bareMedian = median(bare);
        System.out.printf(
                "%n== Restart delivery benchmark: project-level change, %d deployments, %d rounds, concurrency %d ==%n",
                deployments, ROUNDS, CONCURRENCY);
        System.out.printf("%-58s %10s%n", "measure (median)", "ms");
        System.out.printf(
                "%-58s %10.1f%n", "write API latency (impact + outbox of 1,000 events)", millis(median(writeLatency)));
        System.out.printf("%-58s %10.1f%n", "gateway: API answer -> last delivery", millis(gatewayMedian));
        System.out.printf(
                "%-58s %10.1f%n",
                "baseline: bare signed HttpClient loop + one poll (" + POLL.toMillis() + " ms)", millis(bareMedian));
        System.out.printf(
                "%-58s %10.2fx  (goal <= 1.50x)%n", "ratio gateway / baseline", (double) gatewayMedian / bareMedian);
        System.out.printf("rounds gateway ms: %s%nrounds baseline ms: %s%n", rounds(gateway), rounds(bare));
    }

    private static long bareLoop(String url, Webhook signer, int count) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        long start = System.nanoTime();
        List<Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "evt_bare_" + i;
            sent.add(pool.submit(() -> {
                String body = "{\"type\":\"deployment.restart\",\"data\":{\"id\":\"" + id + "\"}}";
                long timestamp = System.currentTimeMillis() / 1000;
                HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", "application/json")
                        .header("webhook-id", id)
                        .header("webhook-timestamp", Long.toString(timestamp))
                        .header("webhook-signature", signer.sign(id, timestamp, body))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                return http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            }));
        }
        for (Future<Integer> f : sent) {
            f.get();
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        return elapsed;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static String rounds(List<Long> values) {
        return values.stream()
                .map(v -> String.format("%.0f", millis(v)))
                .toList()
                .toString();
    }
}
