package io.vaultgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vaultgate.testing.RealStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Token-minting benchmark (not a test): on real OpenBao and MariaDB, the gateway in production
 * mode with its least-privilege token, {@code CONCURRENCY} clients mint workload tokens for one
 * deployment:
 *
 * <ul>
 *   <li><b>gateway</b>: {@code POST /v1/projects/{p}/environments/{e}/services/{s}/tokens} with an
 *       admin token (its lookup cached, as a deploy pipeline's is);</li>
 *   <li><b>vault</b>: Vault's own {@code auth/token/create/vaultgate-workload} with the gateway's
 *       token and the body the gateway sends: the same role, policy, metadata and entity alias,
 *       so the same work inside Vault.</li>
 * </ul>
 * Both are warmed up until the JIT has settled (slices of 10 s, at least {@code
 * bench.warmupSeconds}, at most {@code bench.warmupMaxSeconds}: on two cores the compiler threads
 * take about 40% of the gateway's CPU for its first two minutes of minting), then measured in
 * alternating rounds of {@code bench.seconds} each, so both see the same machine. The write rate limit is raised: it is per caller, and one admin token
 * minting as fast as it can is what is measured. Run: {@code bench/run.sh mint}.
 */
public final class MintBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final Duration ROUND_TIME = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
    private static final Duration WARMUP_TIME = Duration.ofSeconds(Integer.getInteger("bench.warmupSeconds", 20));
    private static final Duration WARMUP_MAX = Duration.ofSeconds(Integer.getInteger("bench.warmupMaxSeconds", 240));
    private static final Duration WARMUP_SLICE = Duration.ofSeconds(10);
    private static final int TTL_SECONDS = Integer.getInteger("bench.ttlSeconds", 900);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final RealStack stack = RealStack.forClass(MintBenchmark.class);
    private URI gateway;
    private Counters counters;

    public static void main(String[] args) throws Exception {
        new MintBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.put("micronaut.server.port", "-1");
        properties.put(
                "datasources.default.url", stack.jdbcUrl() + "&queryInterceptors=" + StatementCounter.class.getName());
        // Per caller: the one admin token here mints far faster than a deploy pipeline would.
        properties.put("vaultgate.rate-limit.writes", "1000000");
        try (ApplicationContext context = ApplicationContext.run(properties, "production")) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            gateway = URI.create(server.getURL().toString());
            try (Connection status =
                    DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword())) {
                counters = new Counters(ProcessCpu.ofStack(), status, context.getBean(MeterRegistry.class));
                measure();
            }
        }
    }

    private void measure() throws Exception {
        String project = "mint-" + Long.toHexString(RANDOM.nextLong() & 0xffff);
        String admin = stack.adminToken();
        call("PUT", "/v1/projects/" + project, admin, null);
        call("PUT", "/v1/projects/" + project + "/environments/production", admin, Map.of("type", "production"));
        call("PUT", "/v1/projects/" + project + "/services/api", admin, null);
        call("PUT", "/v1/projects/" + project + "/environments/production/services/api", admin, null);
        String mintPath = "/v1/projects/" + project + "/environments/production/services/api/tokens";
        Map<String, Object> mintBody = Map.of("ttlSeconds", TTL_SECONDS);

        // What the gateway sends Vault for the same token (vault.VaultIdentityOperations.createToken).
        String alias = "vaultgate-deployment." + stack.kvMount().replace('/', '.') + "." + stack.pathPrefix() + "."
                + project + ".production.api";
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("project", project);
        meta.put("environment", "production");
        meta.put("service", "api");
        meta.put("role", "workload");
        meta.put("boot_fetches", "unlimited");
        meta.put("created_by", "bench");
        Map<String, Object> createBody = new LinkedHashMap<>();
        createBody.put("policies", List.of("vaultgate-workload"));
        createBody.put("meta", meta);
        createBody.put("ttl", TTL_SECONDS + "s");
        createBody.put("num_uses", 0);
        createBody.put("display_name", "vaultgate-" + project + "-production-api");
        createBody.put("entity_alias", alias);
        byte[] createJson = JSON.writeValueAsBytes(createBody);
        URI create = URI.create(stack.vaultAddress() + "/v1/auth/token/create/vaultgate-workload");
        String gatewayToken = stack.gatewayToken();

        Supplier<String> throughGateway = () -> mintedToken(post(gateway.resolve(mintPath), admin, mintBody));
        Supplier<String> straightToVault = () -> {
            String answer = send(HttpRequest.newBuilder(create)
                    .header("X-Vault-Token", gatewayToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(createJson))
                    .build());
            return read(answer).path("auth").path("client_token").asText();
        };
        // Both paths must hand out a token bound to the same entity, else they do not do the same work.
        String entityViaGateway = entityOf(throughGateway.get());
        String entityViaVault = entityOf(straightToVault.get());
        if (entityViaGateway.isEmpty() || !entityViaGateway.equals(entityViaVault)) {
            throw new IllegalStateException("the gateway's and Vault's tokens are bound to different entities");
        }

        Warm warmGateway = warmUp(throughGateway);
        Warm warmVault = warmUp(straightToVault);
        List<Run> gatewayRuns = new ArrayList<>();
        List<Run> vaultRuns = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            gatewayRuns.add(Run.of(throughGateway, ROUND_TIME, counters));
            vaultRuns.add(Run.of(straightToVault, ROUND_TIME, counters));
        }
        Run gw = Run.merge(gatewayRuns);
        Run vault = Run.merge(vaultRuns);

        System.out.println();
        System.out.println("Minting workload tokens for one deployment, " + CONCURRENCY + " concurrent clients, "
                + ROUNDS + " alternating rounds of " + ROUND_TIME.toSeconds() + " s after a warm-up until the JIT"
                + " settled (gateway " + warmGateway.time().toSeconds() + " s, vault "
                + warmVault.time().toSeconds() + " s; " + Runtime.getRuntime().availableProcessors() + " cores, "
                + stack + ")");
        System.out.println(String.format(
                Locale.ROOT,
                "%-44s | %9s | %8s | %8s | %7s | %9s",
                "path",
                "tokens/s",
                "p50 ms",
                "p99 ms",
                "tokens",
                "warm-up/s"));
        System.out.println(gw.row("gateway POST .../services/{s}/tokens", warmGateway.last()));
        System.out.println(vault.row("vault auth/token/create/vaultgate-workload", warmVault.last()));
        System.out.println(String.format(
                Locale.ROOT,
                "gateway / vault: %.2fx tokens/s, %.2fx p50 (goal: >= 0.8x tokens/s)",
                gw.perSecond() / vault.perSecond(),
                gw.p(50) / vault.p(50)));
        System.out.println();
        System.out.println(
                "CPU per token, ms (jvm: the clients, and the gateway on its path; mariadb: every client of the"
                        + " server)");
        System.out.println(String.format(
                Locale.ROOT, "%-44s | %8s | %8s | %8s | %8s", "path", "jvm", "openbao", "mariadb", "total"));
        System.out.println(gw.cpuRow("gateway POST .../services/{s}/tokens"));
        System.out.println(vault.cpuRow("vault auth/token/create/vaultgate-workload"));
        System.out.println(String.format(
                Locale.ROOT,
                "%d cores: CPU alone allows at most %.2fx Vault's rate through the gateway",
                Runtime.getRuntime().availableProcessors(),
                vault.cpuPerToken("total") / gw.cpuPerToken("total")));
        System.out.println();
        System.out.println("Work per token (MariaDB's SHOW GLOBAL STATUS deltas count every client of the server;"
                + " gw: the statements of the gateway's own connections and the requests of its Vault client)");
        System.out.println(String.format(
                Locale.ROOT,
                "%-44s | %9s | %10s | %10s | %10s | %10s | %8s | %8s",
                "path",
                "Questions",
                "Com_select",
                "Com_insert",
                "Com_update",
                "Com_commit",
                "gw SQL",
                "gw Vault"));
        System.out.println(gw.workRow("gateway POST .../services/{s}/tokens"));
        System.out.println(vault.workRow("vault auth/token/create/vaultgate-workload"));

        // One client, sequentially, outside the measured rounds: each statement the gateway sent, by shape.
        int sequential = 200;
        long vaultBefore = counters.vaultRequests();
        StatementCounter.startShapes();
        for (int i = 0; i < sequential; i++) {
            throughGateway.get();
        }
        Map<String, Long> shapes = StatementCounter.shapes();
        System.out.println();
        System.out.println("The gateway's statements per token, by shape, over " + sequential + " sequential mints"
                + " (Vault requests per token: "
                + String.format(Locale.ROOT, "%.2f", (counters.vaultRequests() - vaultBefore) / (double) sequential)
                + ")");
        shapes.forEach((shape, n) ->
                System.out.println(String.format(Locale.ROOT, "%6.2f  %s", n / (double) sequential, shape)));
    }

    /** A warm-up: how long it ran, and its last slice (the rate once the JIT had settled). */
    private record Warm(Duration time, Run last) {}

    /** Slices of minting until the JIT compiles for less than 2% of one (BenchHttp.warmUp). */
    private Warm warmUp(Supplier<String> mint) {
        List<Run> slices = new ArrayList<>();
        int ran = BenchHttp.warmUp(
                () -> {
                    try {
                        slices.add(Run.of(mint, WARMUP_SLICE, counters));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                },
                slicesOf(WARMUP_TIME),
                slicesOf(WARMUP_MAX),
                1);
        return new Warm(WARMUP_SLICE.multipliedBy(ran), slices.get(slices.size() - 1));
    }

    private static int slicesOf(Duration time) {
        return (int) Math.max(1, (time.toSeconds() + WARMUP_SLICE.toSeconds() - 1) / WARMUP_SLICE.toSeconds());
    }

    /** What the benchmark reads before and after each run: CPU, the server's counters, the gateway's. */
    private record Counters(ProcessCpu cpu, Connection status, MeterRegistry meters) {

        static final List<String> SERVER = List.of("Questions", "Com_select", "Com_insert", "Com_update", "Com_commit");

        Map<String, Long> snapshot() {
            Map<String, Long> server = new LinkedHashMap<>();
            try (Statement statement = status.createStatement();
                    ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ("
                            + String.join(
                                    ",", SERVER.stream().map(n -> "'" + n + "'").toList()) + ")")) {
                while (rows.next()) {
                    server.put(rows.getString(1), rows.getLong(2));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            // In the printed order, not the server's.
            Map<String, Long> counted = new LinkedHashMap<>();
            SERVER.forEach(name -> counted.put(name, server.getOrDefault(name, 0L)));
            counted.put("gw SQL", StatementCounter.sent());
            counted.put("gw Vault", vaultRequests());
            return counted;
        }

        long vaultRequests() {
            FunctionCounter requests = meters.find("vaultgate.vault.requests").functionCounter();
            return requests == null ? 0 : (long) requests.count();
        }

        static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
            Map<String, Long> delta = new LinkedHashMap<>();
            after.forEach((name, n) -> delta.put(name, n - before.getOrDefault(name, 0L)));
            return delta;
        }

        static Map<String, Long> sum(List<Map<String, Long>> all) {
            Map<String, Long> total = new LinkedHashMap<>();
            all.forEach(one -> one.forEach((name, n) -> total.merge(name, n, Long::sum)));
            return total;
        }
    }

    /** Tokens made by {@code CONCURRENCY} threads for {@code time}, and the latency of each. */
    private record Run(long tokens, Duration time, long[] nanos, Map<String, Duration> cpu, Map<String, Long> work) {

        static Run of(Supplier<String> mint, Duration time, Counters counters) throws InterruptedException {
            Map<String, Long> workBefore = counters.snapshot();
            Map<String, Duration> cpuBefore = counters.cpu().snapshot();
            ConcurrentLinkedQueue<long[]> perThread = new ConcurrentLinkedQueue<>();
            long started = System.nanoTime();
            long end = started + time.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < CONCURRENCY; c++) {
                Thread thread = new Thread(() -> {
                    long[] samples = new long[1024];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long t = System.nanoTime();
                        if (mint.get().isEmpty()) {
                            throw new IllegalStateException("a mint answered no token");
                        }
                        if (n == samples.length) {
                            samples = Arrays.copyOf(samples, n * 2);
                        }
                        samples[n++] = System.nanoTime() - t;
                    }
                    perThread.add(Arrays.copyOf(samples, n));
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            long[] all = perThread.stream().flatMapToLong(Arrays::stream).toArray();
            if (perThread.size() != CONCURRENCY) {
                throw new IllegalStateException("a client failed; see its stack trace above");
            }
            return new Run(
                    all.length,
                    Duration.ofNanos(System.nanoTime() - started),
                    all,
                    ProcessCpu.between(cpuBefore, counters.cpu().snapshot()),
                    Counters.between(workBefore, counters.snapshot()));
        }

        static Run merge(List<Run> runs) {
            return new Run(
                    runs.stream().mapToLong(Run::tokens).sum(),
                    runs.stream().map(Run::time).reduce(Duration.ZERO, Duration::plus),
                    runs.stream().flatMapToLong(r -> Arrays.stream(r.nanos)).toArray(),
                    ProcessCpu.sum(runs.stream().map(Run::cpu).toList()),
                    Counters.sum(runs.stream().map(Run::work).toList()));
        }

        String workRow(String name) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-44s", name));
            work.forEach((counter, n) -> row.append(
                    String.format(Locale.ROOT, " | %" + Math.max(8, counter.length()) + ".2f", n / (double) tokens)));
            return row.toString();
        }

        double cpuPerToken(String part) {
            long nanos = part.equals("total")
                    ? cpu.values().stream().mapToLong(Duration::toNanos).sum()
                    : cpu.get(part).toNanos();
            return nanos / 1e6 / tokens;
        }

        String cpuRow(String name) {
            return String.format(
                    Locale.ROOT,
                    "%-44s | %8.2f | %8.2f | %8.2f | %8.2f",
                    name,
                    cpuPerToken("jvm"),
                    cpuPerToken("openbao"),
                    cpuPerToken("mariadb"),
                    cpuPerToken("total"));
        }

        double perSecond() {
            return tokens / (time.toNanos() / 1e9);
        }

        double p(int percentile) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }

        String row(String name, Run warmUp) {
            return String.format(
                    Locale.ROOT,
                    "%-44s | %9.0f | %8.2f | %8.2f | %7d | %9.0f",
                    name,
                    perSecond(),
                    p(50),
                    p(99),
                    tokens,
                    warmUp.perSecond());
        }
    }

    private String entityOf(String token) {
        try {
            String answer = send(HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/auth/token/lookup"))
                    .header("X-Vault-Token", stack.rootToken())
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("token", token))))
                    .build());
            return read(answer).path("data").path("entity_id").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String mintedToken(String answer) {
        return read(answer).path("token").asText();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + e.getMessage());
        }
    }

    private String post(URI uri, String token, Object body) {
        try {
            return send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void call(String method, String path, String token, Object body) throws IOException {
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
        send(request.build());
    }

    private String send(HttpRequest request) {
        return BenchHttp.send(http, request);
    }
}
