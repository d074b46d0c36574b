package io.vaultgate.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vaultgate.testing.RealStack;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private static final int WARMUP = Integer.getInteger("bench.warmup", 1000);
    private static final int WARMUP_MAX = Integer.getInteger("bench.warmupMax", 20_000);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 1000);
    private static final int DIRECT_ROUNDS = Integer.getInteger("bench.directRounds", 60);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    private static final Duration THROUGHPUT_TIME = Duration.ofSeconds(Integer.getInteger("bench.seconds", 5));

    private final RealStack stack = RealStack.forClass(BootFetchBenchmark.class);
    private BenchHttp http;

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
        URI hello = URI.create("http://127.0.0.1:" + helloServer.port() + "/hello");
        try (ApplicationContext context = ApplicationContext.run(properties, "production")) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            http = new BenchHttp(stack, URI.create(server.getURL().toString()), hello);
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
        String project = "bench-" + secrets + "-" + BenchHttp.randomSuffix();
        String admin = stack.adminToken();
        BenchProject seeded = BenchProject.create(http, admin, project, secrets);
        Map<String, Map<String, String>> byScope = seeded.keysByScope();
        // The same secrets, one KV entry each, for the direct client.
        String direct = stack.pathPrefix() + "/bench-direct/" + project + "/";
        for (Map<String, String> keys : byScope.values()) {
            for (Map.Entry<String, String> key : keys.entrySet()) {
                http.vault(
                        "POST",
                        stack.kvMount() + "/data/" + direct + key.getKey(),
                        Map.of("data", Map.of("value", key.getValue())));
            }
        }
        List<String> directPaths = byScope.values().stream()
                .flatMap(k -> k.keySet().stream())
                .map(k -> stack.kvMount() + "/data/" + direct + k)
                .toList();
        List<String> scopePaths = http.kvPaths(seeded.entryPaths());
        String token = seeded.token();

        // Gateway and floor, sampled alternately so both see the same machine (JIT, GC, the
        // gateway's background flushes); each warmed until the JIT has settled.
        ExecutorService pool = Executors.newFixedThreadPool(5);
        int warmedUp = BenchHttp.warmUp(
                () -> {
                    http.fetch(token);
                    http.floor(pool, scopePaths);
                },
                WARMUP,
                WARMUP_MAX);
        long[][] sampled = BenchHttp.alternately(SAMPLES, () -> http.fetch(token), () -> http.floor(pool, scopePaths));
        long[] gw = sampled[0];
        long[] floor = sampled[1];
        pool.shutdown();
        double throughput = throughput(token);

        // Direct: one sequential KV read per secret.
        for (int i = 0; i < 5; i++) {
            for (String path : directPaths) {
                http.vault("GET", path, null);
            }
        }
        long[] directTimes = new long[DIRECT_ROUNDS];
        for (int r = 0; r < DIRECT_ROUNDS; r++) {
            long t = System.nanoTime();
            for (String path : directPaths) {
                http.vault("GET", path, null);
            }
            directTimes[r] = System.nanoTime() - t;
        }

        double gw50 = BenchHttp.ms(BenchHttp.percentile(gw, 50));
        double gw99 = BenchHttp.ms(BenchHttp.percentile(gw, 99));
        double d50 = BenchHttp.ms(BenchHttp.percentile(directTimes, 50));
        double d99 = BenchHttp.ms(BenchHttp.percentile(directTimes, 99));
        double f50 = BenchHttp.ms(BenchHttp.percentile(floor, 50));
        double f99 = BenchHttp.ms(BenchHttp.percentile(floor, 99));
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

    private double throughput(String token) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + THROUGHPUT_TIME.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CONCURRENCY; c++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    http.fetch(token);
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
}
