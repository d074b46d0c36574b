package io.vaultgate.bench;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A project-level change to every deployment of a project, timed to the API's answer and from
 * there to the last delivery at a local receiver, against a bare JDK HttpClient loop posting as
 * many signed requests at the dispatcher's concurrency, plus one poll interval. The one hook may
 * use every sender ({@code per-hook-concurrency} = concurrency), as the loop does.
 */
final class RestartCurve implements AutoCloseable {

    static final int CONCURRENCY = 16;
    static final Duration POLL = Duration.ofMillis(200);
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(Integer.getInteger("bench.restart.wait", 180));

    /** The gateway's settings this curve needs: one hook may use every sender; set-up writes are not limited. */
    static final Map<String, String> GATEWAY_PROPERTIES = Map.of(
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
            "vaultgate.rate-limit.writes",
            "1000000");

    /** One size's medians, in ns. */
    record Row(int deployments, long setupNanos, long answer, long lastDelivery, long baseline, List<Long> rounds) {}

    private final BenchHttp http;
    private final BulkLoad bulk;
    private final String admin;
    private final HttpServer receiver;
    private final String url;
    private volatile CountDownLatch expected = new CountDownLatch(0);

    RestartCurve(BenchHttp http, BulkLoad bulk, String admin) throws Exception {
        this.http = http;
        this.bulk = bulk;
        this.admin = admin;
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        receiver.setExecutor(Executors.newFixedThreadPool(CONCURRENCY));
        receiver.createContext("/restart", exchange -> {
            exchange.getRequestBody().readAllBytes();
            expected.countDown();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/restart";
    }

    /**
     * A project of {@code deployments} deployments (up to 100 services, in as many environments as
     * that takes; catalog rows by bulk SQL: through the API 10,000 deployments take minutes), then
     * {@code rounds} changes of one project-level key, each against the bare loop.
     */
    Row measure(int deployments, int rounds) throws Exception {
        long setupStarted = System.nanoTime();
        int services = Math.min(100, Math.max(1, deployments / 10));
        int environments = (deployments + services - 1) / services;
        int made = environments * services;
        String project = "restart-" + made + "-" + BenchHttp.randomSuffix();
        http.call("PUT", "/v1/projects/" + project, admin, null);
        http.call(
                "PUT",
                "/v1/projects/" + project + "/hook-networks",
                admin,
                Map.of("allowedPrivate", List.of("127.0.0.1/32")));
        bulk.deployments(bulk.projectId(project), environments, services);
        Webhook signer = new Webhook(BenchHttp.JSON
                .readTree(http.call("POST", "/v1/projects/" + project + "/hooks", admin, Map.of("url", url)))
                .path("secret")
                .asText());
        long setup = System.nanoTime() - setupStarted;

        List<Long> answers = new ArrayList<>();
        List<Long> deliveries = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            expected = new CountDownLatch(made);
            long before = System.nanoTime();
            String write = http.call(
                    "PUT", "/v1/projects/" + project + "/secrets/SHARED", admin, Map.of("value", "round-" + round));
            long answered = System.nanoTime();
            int restarts = BenchHttp.JSON.readTree(write).path("restarts").size();
            if (restarts != made) {
                throw new IllegalStateException("expected " + made + " restarts, got " + restarts);
            }
            if (!expected.await(DELIVERY_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "deliveries missing after " + DELIVERY_WAIT + ": " + expected.getCount());
            }
            deliveries.add(System.nanoTime() - answered);
            answers.add(answered - before);

            expected = new CountDownLatch(made);
            bare.add(bareLoop(signer, made) + POLL.toNanos());
            expected.await(DELIVERY_WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return new Row(made, setup, median(answers), median(deliveries), median(bare), deliveries);
    }

    private long bareLoop(Webhook signer, int count) throws Exception {
        HttpClient client = HttpClient.newBuilder()
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
                return client.send(request, HttpResponse.BodyHandlers.discarding())
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
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        return BenchHttp.percentile(sorted, 50);
    }

    @Override
    public void close() {
        receiver.stop(0);
    }
}
