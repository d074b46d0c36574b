package io.vaultgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultgate.testing.GatewayProcess;
import io.vaultgate.testing.RealStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load benchmark (not a test): the gateway in a JVM of its own, started with the production heap
 * options (README, "Production"), on real OpenBao and MariaDB; one deployment with 100 keys over
 * its five scopes. Per level of concurrent clients (8, 50, 200), each client boot-fetches with
 * its own workload token for a fixed time, honouring a 503's {@code Retry-After}; the table gives
 * throughput, latencies, and the gateway process's resources, beside the 8-client row. Then a
 * container's first fetch with a fresh token (its lookup not cached), against the floor measured
 * in the same run: a hello-world HTTP call, one token lookup and five parallel KV reads.
 * Run: {@code bench/run.sh load}; {@code -Dbench.clients=} (no levels) skips the load rows and
 * runs the warm-up and the fresh tokens only.
 */
public final class LoadBenchmark {

    /** The production start command's options (README, "Production"; docker-compose.yml's JAVA_OPTS). */
    static final String PRODUCTION_JVM_OPTIONS =
            "-Xms64m -Xmx192m -Xss512k -XX:MaxMetaspaceSize=128m -XX:MaxDirectMemorySize=64m -XX:+UseSerialGC"
                    + " -Dhttp.maxConnections=64";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEYS = 100;
    private static final List<Integer> LEVELS = Arrays.stream(
                    System.getProperty("bench.clients", "8,50,200").split(","))
            .map(String::trim)
            .filter(level -> !level.isEmpty())
            .map(Integer::valueOf)
            .toList();
    private static final Duration LEVEL_TIME = Duration.ofSeconds(Integer.getInteger("bench.seconds", 15));
    private static final Duration WARMUP_TIME = Duration.ofSeconds(Integer.getInteger("bench.warmupSeconds", 10));
    private static final int FRESH_TOKENS = Integer.getInteger("bench.freshTokens", 100);
    private static final String GATEWAY_JAVA = System.getProperty(
            "bench.gatewayJava",
            Path.of(System.getProperty("java.home"), "bin", "java").toString());
    /** Comma-separated, so that bench/run.sh's BENCH_OPTS can carry them: e.g. {@code -XX:+UseSerialGC,-Xmx160m}. */
    private static final String GATEWAY_OPTIONS = (PRODUCTION_JVM_OPTIONS + " "
                    + System.getProperty("bench.gatewayExtra", "").replace(',', ' '))
            .trim();

    private static final Pattern METRIC = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} ([0-9.Ee+-]+)$");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final RealStack stack = RealStack.forClass(LoadBenchmark.class);
    private GatewayProcess gateway;
    private URI hello;
    private String project;
    private List<String> scopePaths;

    public static void main(String[] args) throws Exception {
        new LoadBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Map<String, String> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.remove("vaultgate.vault.token");
        properties.remove("micronaut.server.port");
        Path log = Files.createTempFile("vaultgate-load-", ".log");
        List<String> options = Arrays.asList(GATEWAY_OPTIONS.trim().split("\\s+"));
        HelloServer helloServer = HelloServer.start();
        hello = URI.create("http://127.0.0.1:" + helloServer.port() + "/hello");
        gateway = GatewayProcess.start(
                Path.of(GATEWAY_JAVA), options, properties, Map.of("VAULT_TOKEN", stack.gatewayToken()), log);
        try {
            createDeployment();
            int most = LEVELS.stream().mapToInt(Integer::intValue).max().orElse(8);
            List<String> tokens = mint(most);
            int warmUpClients = Math.min(most, 50);
            load(warmUpClients, tokens, WARMUP_TIME);
            if (!LEVELS.isEmpty()) {
                printHeader(warmUpClients);
            }
            Level base = null;
            for (int clients : LEVELS) {
                Level level = load(clients, tokens, LEVEL_TIME);
                base = base == null ? level : base;
                printRow(level, base);
            }
            printFresh(freshTokens(), log);
        } finally {
            gateway.close();
            helloServer.close();
        }
    }

    private void createDeployment() throws IOException {
        project = "load-" + Long.toHexString(RANDOM.nextLong() & 0xffffff);
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
        Map<String, Map<String, String>> byScope = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            byScope.computeIfAbsent(scopes[i % 5], s -> new LinkedHashMap<>()).put("KEY_" + i, randomValue());
        }
        for (Map.Entry<String, Map<String, String>> scope : byScope.entrySet()) {
            call("POST", "/v1/projects/" + project + scope.getKey() + "/import", admin, scope.getValue());
        }
        scopePaths = List.of(
                        project,
                        project + "/type/production",
                        project + "/env/production",
                        project + "/svc/api",
                        project + "/env/production/svc/api")
                .stream()
                .map(p -> stack.kvMount() + "/data/" + stack.pathPrefix() + "/" + p)
                .toList();
    }

    private List<String> mint(int count) throws IOException {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(JSON.readTree(call(
                            "POST",
                            "/v1/projects/" + project + "/environments/production/services/api/tokens",
                            stack.adminToken(),
                            Map.of("ttlSeconds", 3600)))
                    .path("token")
                    .asText());
        }
        return tokens;
    }

    /** {@code clients} containers boot-fetching for {@code time}, each with its own token. */
    private Level load(int clients, List<String> tokens, Duration time) throws InterruptedException {
        Resources resources = new Resources();
        Thread sampler = new Thread(resources::sample, "load-sampler");
        ConcurrentLinkedQueue<long[]> served = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> boots = new ConcurrentLinkedQueue<>();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + time.toNanos();
        List<Thread> threads = new ArrayList<>();
        sampler.start();
        for (int c = 0; c < clients; c++) {
            String token = tokens.get(c);
            Thread client = new Thread(() -> {
                List<Long> mine = new ArrayList<>();
                long bootStarted = System.nanoTime();
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    HttpResponse<String> answer = fetch(token);
                    long now = System.nanoTime();
                    if (answer != null && answer.statusCode() == 200) {
                        mine.add(now - t);
                        boots.add(now - bootStarted);
                        bootStarted = now;
                    } else if (answer != null && answer.statusCode() == 503) {
                        refused.incrementAndGet();
                        long wait =
                                answer.headers().firstValueAsLong("Retry-After").orElse(1) * 1_000_000_000L;
                        sleepNanos(Math.min(wait, end - now));
                    } else {
                        failed.incrementAndGet();
                    }
                }
                served.add(mine.stream().mapToLong(Long::longValue).toArray());
            });
            client.start();
            threads.add(client);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        resources.stop();
        sampler.join();
        long[] latencies = served.stream().flatMapToLong(Arrays::stream).toArray();
        long[] bootTimes = boots.stream().mapToLong(Long::longValue).toArray();
        double seconds = time.toNanos() / 1e9;
        return new Level(
                clients,
                latencies.length / seconds,
                refused.get() / seconds,
                failed.get(),
                ms(percentile(latencies, 50)),
                ms(percentile(latencies, 99)),
                ms(percentile(bootTimes, 99)),
                resources);
    }

    /** A container's first fetch with a token never seen, alternating with a floor round. */
    private Fresh freshTokens() throws IOException {
        List<String> fresh = mint(FRESH_TOKENS);
        List<String> forFloor = mint(FRESH_TOKENS);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        long[] gw = new long[FRESH_TOKENS];
        long[] floor = new long[FRESH_TOKENS];
        int failed = 0;
        for (int i = 0; i < FRESH_TOKENS; i++) {
            long t = System.nanoTime();
            HttpResponse<String> answer = fetch(fresh.get(i));
            gw[i] = System.nanoTime() - t;
            if (answer == null || answer.statusCode() != 200) {
                failed++;
            }
            t = System.nanoTime();
            floor(pool, forFloor.get(i));
            floor[i] = System.nanoTime() - t;
        }
        pool.shutdown();
        return new Fresh(
                ms(percentile(gw, 50)),
                ms(percentile(gw, 99)),
                ms(percentile(floor, 50)),
                ms(percentile(floor, 99)),
                failed);
    }

    /** The least a first fetch costs: a hello-world call, the token's lookup, five parallel reads with it. */
    private void floor(ExecutorService pool, String token) {
        send(HttpRequest.newBuilder(hello).GET().build(), 200);
        // A workload token may not look itself up: the gateway's token looks it up, as the gateway does.
        send(
                HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/auth/token/lookup"))
                        .header("X-Vault-Token", stack.gatewayToken())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}"))
                        .build(),
                200);
        List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
        for (String path : scopePaths) {
            reads.add(CompletableFuture.supplyAsync(
                    () -> send(
                            HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/" + path))
                                    .header("X-Vault-Token", token)
                                    .GET()
                                    .build(),
                            200),
                    pool));
        }
        reads.forEach(CompletableFuture::join);
    }

    private void printHeader(int warmUpClients) {
        System.out.println();
        System.out.println("Boot fetches under load, " + KEYS + " keys over 5 scopes, " + LEVEL_TIME.toSeconds()
                + " s per level after a " + WARMUP_TIME.toSeconds() + " s warm-up at " + warmUpClients
                + " clients; gateway on " + gatewayJavaVersion() + " " + GATEWAY_OPTIONS + "; "
                + Runtime.getRuntime().availableProcessors() + " cores shared with client, OpenBao and MariaDB;"
                + " ratios against the first row");
        System.out.println(String.format(
                Locale.ROOT,
                "%7s | %8s %6s %5s | %8s %8s %9s | %7s %9s %9s %9s %7s %9s | %9s %9s %9s",
                "clients",
                "ok/s",
                "503/s",
                "errs",
                "p50 ms",
                "p99 ms",
                "boot p99",
                "RSS MB",
                "heap used",
                "heap comm",
                "metaspace",
                "threads",
                "direct MB",
                "ok/s÷1st",
                "p99÷1st",
                "RSS÷300"));
    }

    private static void printRow(Level level, Level base) {
        System.out.println(String.format(
                Locale.ROOT,
                "%7d | %8.1f %6.1f %5d | %8.1f %8.1f %9.1f | %7.0f %9.0f %9.0f %9.0f %7d %9.1f | %8.2fx %8.2fx %8.2fx",
                level.clients,
                level.throughput,
                level.refusedPerSecond,
                level.failed,
                level.p50,
                level.p99,
                level.bootP99,
                mb(level.resources.maxRss),
                mb(level.resources.maxHeapUsed),
                mb(level.resources.maxHeapCommitted),
                mb(level.resources.maxMetaspace),
                level.resources.maxThreads,
                mb(level.resources.maxDirect),
                level.throughput / base.throughput,
                level.p99 / base.p99,
                mb(level.resources.maxRss) / 300.0));
    }

    private static void printFresh(Fresh fresh, Path log) {
        System.out.println();
        System.out.println(String.format(
                Locale.ROOT,
                "first fetch with a fresh token (%d tokens, each used once; %d failed): p50 %.1f ms, p99 %.1f ms"
                        + " | floor (hello + token lookup + 5 parallel KV reads): p50 %.1f ms, p99 %.1f ms"
                        + " | p99/floor %.2fx",
                FRESH_TOKENS,
                fresh.failed,
                fresh.p50,
                fresh.p99,
                fresh.floorP50,
                fresh.floorP99,
                fresh.p99 / fresh.floorP99));
        System.out.println();
        System.out.println("goals: RSS <= 300 MB; ok/s at 200 >= ok/s at 8; p99 at 200 <= 4x p99 at 8;"
                + " fresh-token p99 <= 2x floor p99. p99 is of served fetches; boot p99 includes the waits a"
                + " 503's Retry-After asked for. Gateway log: " + log);
    }

    private String gatewayJavaVersion() {
        try {
            Process version = new ProcessBuilder(GATEWAY_JAVA, "-version")
                    .redirectErrorStream(true)
                    .start();
            String first = new String(version.getInputStream().readAllBytes())
                    .lines()
                    .findFirst()
                    .orElse("?");
            version.waitFor();
            return first.replace("\"", "");
        } catch (IOException e) {
            return GATEWAY_JAVA;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GATEWAY_JAVA;
        }
    }

    /** The gateway process's resources, sampled: RSS and threads from /proc, heap and direct memory from /prometheus. */
    private final class Resources {
        private final AtomicBoolean running = new AtomicBoolean(true);
        long maxRss;
        long maxThreads;
        double maxHeapUsed;
        double maxHeapCommitted;
        double maxDirect;
        double maxMetaspace;

        void sample() {
            long lastScrape = 0;
            while (running.get()) {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/" + gateway.pid() + "/status"))) {
                        if (line.startsWith("VmRSS:")) {
                            maxRss = Math.max(maxRss, Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                        } else if (line.startsWith("Threads:")) {
                            maxThreads = Math.max(maxThreads, Long.parseLong(line.replaceAll("[^0-9]", "")));
                        }
                    }
                } catch (IOException gone) {
                    return;
                }
                if (System.nanoTime() - lastScrape > 1_000_000_000L) {
                    lastScrape = System.nanoTime();
                    scrape();
                }
                sleepNanos(100_000_000L);
            }
            scrape();
        }

        void stop() {
            running.set(false);
        }

        private void scrape() {
            HttpResponse<String> metrics;
            try {
                metrics = http.send(
                        HttpRequest.newBuilder(gateway.address().resolve("/prometheus"))
                                .header("Authorization", "Bearer " + stack.adminToken())
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (metrics.statusCode() != 200) {
                return; // refused while the gateway is full: the next scrape will do
            }
            double heapUsed = 0;
            double heapCommitted = 0;
            double direct = 0;
            double metaspace = 0;
            for (String line : metrics.body().lines().toList()) {
                Matcher m = METRIC.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                double value = Double.parseDouble(m.group(3));
                String labels = m.group(2);
                switch (m.group(1)) {
                    case "jvm_memory_used_bytes" -> {
                        heapUsed += labels.contains("area=\"heap\"") ? value : 0;
                        metaspace += labels.contains("id=\"Metaspace\"") ? value : 0;
                    }
                    case "jvm_memory_committed_bytes" -> heapCommitted += labels.contains("area=\"heap\"") ? value : 0;
                    case "jvm_buffer_memory_used_bytes" -> direct += labels.contains("id=\"direct\"") ? value : 0;
                    default -> {}
                }
            }
            maxHeapUsed = Math.max(maxHeapUsed, heapUsed);
            maxHeapCommitted = Math.max(maxHeapCommitted, heapCommitted);
            maxDirect = Math.max(maxDirect, direct);
            maxMetaspace = Math.max(maxMetaspace, metaspace);
        }
    }

    private record Level(
            int clients,
            double throughput,
            double refusedPerSecond,
            long failed,
            double p50,
            double p99,
            double bootP99,
            Resources resources) {}

    private record Fresh(double p50, double p99, double floorP50, double floorP99, int failed) {}

    /** One boot fetch; null when the connection failed. */
    private HttpResponse<String> fetch(String token) {
        try {
            return http.send(
                    HttpRequest.newBuilder(gateway.address().resolve("/v1/env"))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(60))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String call(String method, String path, String token, Object body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.address().resolve(path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build(), 299).body();
    }

    private HttpResponse<String> send(HttpRequest request, int highestOk) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() < 200 || response.statusCode() > highestOk) {
                throw new IllegalStateException(
                        request.method() + " " + request.uri().getPath() + " answered " + response.statusCode());
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String randomValue() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    private static long percentile(long[] samples, int p) {
        if (samples.length == 0) {
            return 0;
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static double mb(double bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
