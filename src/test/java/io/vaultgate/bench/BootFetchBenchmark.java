package io.vaultgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vaultgate.testing.RealStack;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Boot-fetch benchmark (not a test): on real OpenBao and MariaDB (the same servers the
 * integration tests use: run scripts/test-services.sh first), the gateway in production mode with
 * its least-privilege token, for 20, 100 and 200 secrets spread over a deployment's five scopes:
 *
 * <ul>
 *   <li><b>gateway</b>: {@code GET /v1/env} with a workload token, sequential on one keep-alive
 *       client: p50, p99; and throughput with {@code CONCURRENCY} clients;</li>
 *   <li><b>direct</b>: the same secrets read straight from Vault by a keep-alive Java client, one
 *       KV read per secret, sequentially (what a client without the gateway does);</li>
 *   <li><b>floor</b>: one hello-world HTTP call plus five parallel KV reads, the least a fetch
 *       through any gateway that reads five entries can cost.</li>
 * </ul>
 * Gateway and floor samples alternate, after a warm-up that lasts until the JIT has settled.
 * Everything runs on this machine, the client in the same JVM as the gateway. Run: {@code bench/run.sh}.
 */
public final class BootFetchBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARMUP = Integer.getInteger("bench.warmup", 1000);
    private static final int WARMUP_MAX = Integer.getInteger("bench.warmupMax", 20_000);
    private static final int WARMUP_BATCH = 250;
    private static final double WARMUP_JIT_SHARE = 0.02;
    private static final int SAMPLES = Integer.getInteger("bench.samples", 1000);
    private static final int DIRECT_ROUNDS = Integer.getInteger("bench.directRounds", 60);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    private static final Duration THROUGHPUT_TIME = Duration.ofSeconds(Integer.getInteger("bench.seconds", 5));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final RealStack stack = RealStack.forClass(BootFetchBenchmark.class);
    private URI gateway;
    private URI hello;

    public static void main(String[] args) throws Exception {
        new BootFetchBenchmark()
                .run(
                        args.length == 0
                                ? List.of(20, 100, 200)
                                : Arrays.stream(args).map(Integer::valueOf).toList());
        System.exit(0);
    }

    private void run(List<Integer> sizes) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.put("micronaut.server.port", "-1");
        HelloServer helloServer = HelloServer.start();
        hello = URI.create("http://127.0.0.1:" + helloServer.port() + "/hello");
        try (ApplicationContext context = ApplicationContext.run(properties, "production")) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            gateway = URI.create(server.getURL().toString());
            List<String> rows = new ArrayList<>();
            for (int n : sizes) {
                rows.add(measure(n));
            }
            System.out.println();
            System.out.println("Boot fetch through the gateway vs direct Vault reads (ms; " + SAMPLES + " samples, "
                    + Runtime.getRuntime().availableProcessors() + " cores, " + stack + ")");
            System.out.println(header());
            rows.forEach(System.out::println);
            System.out.println();
            System.out.println(
                    "goals at 100 secrets: gateway p50 <= 0.25 x direct sequential p50; gateway p99 <= 1.5 x floor p99");
        } finally {
            helloServer.close();
        }
    }

    private static String header() {
        return String.format(
                Locale.ROOT,
                "%8s | %8s %8s %9s | %10s %10s | %8s %8s | %12s %12s | %7s",
                "secrets",
                "gw p50",
                "gw p99",
                "gw req/s",
                "direct p50",
                "direct p99",
                "floor p50",
                "floor p99",
                "p50/direct",
                "p99/floor",
                "warm-up");
    }

    private String measure(int secrets) throws Exception {
        String project = "bench-" + secrets + "-" + Long.toHexString(RANDOM.nextLong() & 0xffff);
        String admin = stack.adminToken();
        call("PUT", "/v1/projects/" + project, admin, null);
        call("PUT", "/v1/projects/" + project + "/environments/production", admin, Map.of("type", "production"));
        call("PUT", "/v1/projects/" + project + "/services/api", admin, null);
        call("PUT", "/v1/projects/" + project + "/environments/production/services/api", admin, null);
        String[] scopes = {
            "",
            "/environment-types/production",
            "/environments/production",
            "/services/api",
            "/environments/production/services/api"
        };
        List<String> entryPaths = List.of(
                project,
                project + "/type/production",
                project + "/env/production",
                project + "/svc/api",
                project + "/env/production/svc/api");
        Map<String, Map<String, String>> byScope = new LinkedHashMap<>();
        for (int i = 0; i < secrets; i++) {
            byScope.computeIfAbsent(scopes[i % 5], s -> new LinkedHashMap<>()).put("KEY_" + i, randomValue());
        }
        for (Map.Entry<String, Map<String, String>> scope : byScope.entrySet()) {
            call("POST", "/v1/projects/" + project + scope.getKey() + "/import", admin, scope.getValue());
        }
        // The same secrets, one KV entry each, for the direct client.
        String direct = stack.pathPrefix() + "/bench-direct/" + project + "/";
        for (Map<String, String> keys : byScope.values()) {
            for (Map.Entry<String, String> key : keys.entrySet()) {
                vault(
                        "POST",
                        stack.kvMount() + "/data/" + direct + key.getKey(),
                        Map.of("data", Map.of("value", key.getValue())));
            }
        }
        List<String> directPaths = byScope.values().stream()
                .flatMap(k -> k.keySet().stream())
                .map(k -> stack.kvMount() + "/data/" + direct + k)
                .toList();
        List<String> scopePaths = entryPaths.stream()
                .map(p -> stack.kvMount() + "/data/" + stack.pathPrefix() + "/" + p)
                .toList();
        String token = JSON.readTree(call(
                        "POST",
                        "/v1/projects/" + project + "/environments/production/services/api/tokens",
                        admin,
                        Map.of("ttlSeconds", 3600)))
                .path("token")
                .asText();
        int delivered = JSON.readTree(fetch(token)).size();
        if (delivered != secrets) {
            throw new IllegalStateException("expected " + secrets + " keys from /v1/env, got " + delivered);
        }

        // Gateway and floor, sampled alternately so both see the same machine (JIT, GC, the
        // gateway's background flushes); each warmed until the JIT has settled.
        ExecutorService pool = Executors.newFixedThreadPool(5);
        int warmedUp = warmUp(() -> {
            fetch(token);
            floor(pool, scopePaths);
        });
        long[] gw = new long[SAMPLES];
        long[] floor = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long t = System.nanoTime();
            fetch(token);
            gw[i] = System.nanoTime() - t;
            t = System.nanoTime();
            floor(pool, scopePaths);
            floor[i] = System.nanoTime() - t;
        }
        pool.shutdown();
        double throughput = throughput(token);

        // Direct: one sequential KV read per secret.
        for (int i = 0; i < 5; i++) {
            for (String path : directPaths) {
                vault("GET", path, null);
            }
        }
        long[] directTimes = new long[DIRECT_ROUNDS];
        for (int r = 0; r < DIRECT_ROUNDS; r++) {
            long t = System.nanoTime();
            for (String path : directPaths) {
                vault("GET", path, null);
            }
            directTimes[r] = System.nanoTime() - t;
        }

        double gw50 = ms(percentile(gw, 50));
        double gw99 = ms(percentile(gw, 99));
        double d50 = ms(percentile(directTimes, 50));
        double d99 = ms(percentile(directTimes, 99));
        double f50 = ms(percentile(floor, 50));
        double f99 = ms(percentile(floor, 99));
        return String.format(
                Locale.ROOT,
                "%8d | %8.2f %8.2f %9.0f | %10.2f %10.2f | %8.2f %8.2f | %11.3fx %11.2fx | %7d",
                secrets,
                gw50,
                gw99,
                throughput,
                d50,
                d99,
                f50,
                f99,
                gw50 / d50,
                gw99 / f99,
                warmedUp);
    }

    /**
     * Runs {@code round} in batches until the JIT compiles for less than {@code WARMUP_JIT_SHARE}
     * of a batch's wall time, at least {@code WARMUP} times and at most {@code WARMUP_MAX}: a
     * fixed short warm-up left the compiler threads busy for a core's worth of time during the
     * samples, measuring the JIT rather than the gateway. Returns how many rounds it ran.
     */
    private static int warmUp(Runnable round) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        int done = 0;
        while (done < WARMUP_MAX) {
            long compiledBefore = jit.getTotalCompilationTime();
            long started = System.nanoTime();
            for (int i = 0; i < WARMUP_BATCH; i++) {
                round.run();
            }
            done += WARMUP_BATCH;
            double wallMillis = (System.nanoTime() - started) / 1_000_000.0;
            if (done >= WARMUP && jit.getTotalCompilationTime() - compiledBefore < WARMUP_JIT_SHARE * wallMillis) {
                break;
            }
        }
        return done;
    }

    private void floor(ExecutorService pool, List<String> scopePaths) {
        send(HttpRequest.newBuilder(hello).GET().build());
        List<CompletableFuture<String>> reads = new ArrayList<>();
        for (String path : scopePaths) {
            reads.add(CompletableFuture.supplyAsync(() -> vault("GET", path, null), pool));
        }
        reads.forEach(CompletableFuture::join);
    }

    private double throughput(String token) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + THROUGHPUT_TIME.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CONCURRENCY; c++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    fetch(token);
                    done.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return done.get() / (double) THROUGHPUT_TIME.toSeconds();
    }

    private String fetch(String token) {
        return send(HttpRequest.newBuilder(gateway.resolve("/v1/env"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
    }

    private String call(String method, String path, String token, Object body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build());
    }

    private String vault(String method, String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/" + path))
                    .header("X-Vault-Token", stack.rootToken())
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(
                        request.method() + " " + request.uri().getPath() + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String randomValue() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    private static long percentile(long[] samples, int p) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
