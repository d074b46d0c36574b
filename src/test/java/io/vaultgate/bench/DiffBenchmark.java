package io.vaultgate.bench;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vaultgate.testing.RealStack;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Environment diff benchmark (not a test): {@code GET /v1/projects/P/diff?from=staging&to=production}
 * on real OpenBao and MariaDB, the gateway in production mode, beside what a script would call to
 * learn the same facts from the API that existed before it, sampled alternately in the same run:
 *
 * <ul>
 *   <li><b>keys</b>: the diff vs {@code GET …/resolved} of every compared deployment (two a
 *       service), one after the other on a keep-alive client;</li>
 *   <li><b>values</b>: the diff with {@code values=true} vs those calls plus one read, with the
 *       root token, of each scope entry the gateway reads (the least a script that may read Vault
 *       would do; it would then hold the values, which the diff never hands out).</li>
 * </ul>
 *
 * For 1, 10 and 30 services deployed in both environments, each of the five scopes of a
 * deployment holding {@code bench.diff.keys} keys of its own (so a service resolves 5 × that:
 * project and service keys from the same scope on both sides, the other three from two), it also
 * prints the statements the gateway sent and the Vault requests it made per diff, counted over
 * {@code bench.diff.counted} diffs run back to back. Run: {@code bench/run.sh diff}.
 */
public final class DiffBenchmark {

    private static final int KEYS = Integer.getInteger("bench.diff.keys", 20);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 30);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 5);
    private static final int COUNTED = Integer.getInteger("bench.diff.counted", 20);
    private static final List<String> ENVIRONMENTS = List.of("staging", "production");

    private final RealStack stack = RealStack.forClass(DiffBenchmark.class);
    private BenchHttp http;
    private MeterRegistry meters;
    private String admin;

    public static void main(String[] args) throws Exception {
        new DiffBenchmark()
                .run(
                        args.length == 0
                                ? List.of(1, 10, 30)
                                : Arrays.stream(args).map(Integer::valueOf).toList());
        System.exit(0);
    }

    private void run(List<Integer> sizes) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.put("micronaut.server.port", "-1");
        properties.put(
                "datasources.default.url", stack.jdbcUrl() + "&queryInterceptors=" + StatementCounter.class.getName());
        properties.put("vaultgate.rate-limit.writes", "1000000");
        try (ApplicationContext context = ApplicationContext.run(properties, "production")) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            http = new BenchHttp(stack, URI.create(server.getURL().toString()), null);
            meters = context.getBean(MeterRegistry.class);
            admin = stack.adminToken();
            List<String> timings = new ArrayList<>();
            List<String> costs = new ArrayList<>();
            for (int services : sizes) {
                measure(services, timings, costs);
            }
            System.out.println();
            System.out.println("Environment diff vs the calls that carry the same facts (ms; " + SAMPLES
                    + " samples each, alternately; " + KEYS + " keys a scope; "
                    + Runtime.getRuntime().availableProcessors() + " cores, " + stack + ")");
            System.out.println(String.format(
                    Locale.ROOT,
                    "%-7s %8s %6s | %9s %9s | %9s %9s | %9s %9s | %7s",
                    "diff",
                    "services",
                    "keys",
                    "diff p50",
                    "diff p99",
                    "base p50",
                    "base p99",
                    "p50 ratio",
                    "p99 ratio",
                    "warm-up"));
            timings.forEach(System.out::println);
            System.out.println();
            System.out.println("Work per diff (counted over " + COUNTED + " diffs back to back; idle: the pollers'"
                    + " statements over a pause as long, per diff; net = gw SQL - idle)");
            System.out.println(String.format(
                    Locale.ROOT,
                    "%-7s %8s %6s | %8s %8s %8s %9s | %14s %14s",
                    "diff",
                    "services",
                    "keys",
                    "gw SQL",
                    "idle",
                    "net",
                    "gw Vault",
                    "base requests",
                    "base Vault"));
            costs.forEach(System.out::println);
        }
    }

    private void measure(int services, List<String> timings, List<String> costs) throws InterruptedException {
        String project = "diff-" + services + "-" + BenchHttp.randomSuffix();
        List<String> resolvedPaths = create(project, services);
        int keysCompared = services * 5 * KEYS;
        String diff = "/v1/projects/" + project + "/diff?from=staging&to=production";
        String diffValues = diff + "&values=true";
        // The entries the gateway reads for values=true: the scopes that differ between the two sides.
        List<String> entries = new ArrayList<>();
        for (String environment : ENVIRONMENTS) {
            entries.add(project + "/type/" + environment);
            entries.add(project + "/env/" + environment);
            for (int s = 0; s < services; s++) {
                entries.add(project + "/env/" + environment + "/svc/" + service(s));
            }
        }
        List<String> kvPaths = http.kvPaths(entries);
        Runnable keys = () -> http.call("GET", diff, admin, null);
        Runnable keysBaseline = () -> resolvedPaths.forEach(path -> http.call("GET", path, admin, null));
        Runnable values = () -> http.call("GET", diffValues, admin, null);
        Runnable valuesBaseline = () -> {
            keysBaseline.run();
            kvPaths.forEach(path -> http.vault("GET", path, null));
        };
        timings.add(row("keys", services, keysCompared, keys, keysBaseline));
        timings.add(row("values", services, keysCompared, values, valuesBaseline));
        costs.add(cost("keys", services, keysCompared, keys, resolvedPaths.size(), 0));
        costs.add(cost("values", services, keysCompared, values, resolvedPaths.size(), kvPaths.size()));
    }

    /** The project: its services deployed in both environments, each scope with keys of its own. */
    private List<String> create(String project, int services) {
        String base = "/v1/projects/" + project;
        http.call("PUT", base, admin, null);
        importKeys(base, "P");
        List<String> resolved = new ArrayList<>();
        for (String environment : ENVIRONMENTS) {
            http.call("PUT", base + "/environments/" + environment, admin, Map.of("type", environment));
            importKeys(base + "/environment-types/" + environment, "T");
            importKeys(base + "/environments/" + environment, "E");
        }
        for (int s = 0; s < services; s++) {
            String service = service(s);
            http.call("PUT", base + "/services/" + service, admin, null);
            importKeys(base + "/services/" + service, "S");
            for (String environment : ENVIRONMENTS) {
                String deployment = base + "/environments/" + environment + "/services/" + service;
                http.call("PUT", deployment, admin, null);
                importKeys(deployment, "D");
                resolved.add(deployment + "/resolved");
            }
        }
        return resolved;
    }

    private void importKeys(String scope, String prefix) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            keys.put(prefix + "_KEY_" + i, BenchHttp.randomValue());
        }
        http.call("POST", scope + "/import", admin, keys);
    }

    private static String service(int s) {
        return "svc-" + s;
    }

    private static String row(String what, int services, int keys, Runnable diff, Runnable baseline) {
        int warmedUp = 0;
        long until = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < until || warmedUp < 3) {
            diff.run();
            baseline.run();
            warmedUp++;
        }
        long[][] sampled = BenchHttp.alternately(SAMPLES, diff, baseline);
        double d50 = BenchHttp.ms(BenchHttp.percentile(sampled[0], 50));
        double d99 = BenchHttp.ms(BenchHttp.percentile(sampled[0], 99));
        double b50 = BenchHttp.ms(BenchHttp.percentile(sampled[1], 50));
        double b99 = BenchHttp.ms(BenchHttp.percentile(sampled[1], 99));
        return String.format(
                Locale.ROOT,
                "%-7s %8d %6d | %9.2f %9.2f | %9.2f %9.2f | %8.2fx %8.2fx | %7d",
                what,
                services,
                keys,
                d50,
                d99,
                b50,
                b99,
                d50 / b50,
                d99 / b99,
                warmedUp);
    }

    /**
     * Statements and Vault requests per diff. The counter sees every connection of the gateway, so
     * the pollers' statements are counted too: they are measured again over an idle pause as long
     * as the diffs took, and taken off.
     */
    private String cost(String what, int services, int keys, Runnable diff, int baseRequests, int baseVault)
            throws InterruptedException {
        long sqlBefore = StatementCounter.sent();
        double vaultBefore = vaultRequests();
        long started = System.nanoTime();
        for (int i = 0; i < COUNTED; i++) {
            diff.run();
        }
        long took = System.nanoTime() - started;
        long sqlDuring = StatementCounter.sent() - sqlBefore;
        double vault = (vaultRequests() - vaultBefore) / COUNTED;
        long idleBefore = StatementCounter.sent();
        Thread.sleep(took / 1_000_000);
        long idle = StatementCounter.sent() - idleBefore;
        return String.format(
                Locale.ROOT,
                "%-7s %8d %6d | %8.1f %8.1f %8.1f %9.1f | %14d %14d",
                what,
                services,
                keys,
                sqlDuring / (double) COUNTED,
                idle / (double) COUNTED,
                (sqlDuring - idle) / (double) COUNTED,
                vault,
                baseRequests,
                baseVault);
    }

    private double vaultRequests() {
        FunctionCounter requests = meters.find("vaultgate.vault.requests").functionCounter();
        return requests == null ? 0 : requests.count();
    }
}
