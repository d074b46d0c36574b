package io.vaultgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vaultgate.access.Actor;
import io.vaultgate.scope.Scope;
import io.vaultgate.secret.MultiScopeRelease;
import io.vaultgate.secret.StagedChange;
import io.vaultgate.testing.RealStack;
import io.vaultgate.values.SecretValue;
import io.vaultgate.web.RestartMode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Release benchmark (not a test): on real OpenBao and MariaDB, the gateway in production mode,
 * a project of 4 environments × 10 services (40 deployments). Each round rotates {@code n} keys
 * at each of three scopes (the project, one environment, one service), alternately:
 *
 * <ul>
 *   <li><b>release</b>: the three scopes as ONE change-set through {@code MultiScopeRelease}
 *       (called in-process, as the drafts package calls it: no HTTP hop);</li>
 *   <li><b>3 imports</b>: the same rotation as three ordinary {@code POST …/import} calls, one per
 *       scope, over HTTP: what a client does without change-sets.</li>
 * </ul>
 * Both are measured in the same run, alternately, after a warm-up; the table also counts the
 * restart events each way records (a release owes one per affected deployment; three imports owe
 * up to three). Run: {@code bench/run.sh release [keys-per-scope…]}.
 */
public final class ReleaseBenchmark {

    private static final int WARMUP = Integer.getInteger("bench.warmup", 15);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 60);
    private static final int ENVIRONMENTS = 4;
    private static final int SERVICES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RealStack stack = RealStack.forClass(ReleaseBenchmark.class);
    private BenchHttp http;
    private MultiScopeRelease release;

    public static void main(String[] args) throws Exception {
        new ReleaseBenchmark()
                .run(
                        args.length == 0
                                ? List.of(1, 10)
                                : Arrays.stream(args).map(Integer::valueOf).toList());
        System.exit(0);
    }

    private void run(List<Integer> sizes) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.put("micronaut.server.port", "-1");
        properties.put("vaultgate.rate-limit.writes", "100000");
        HelloServer helloServer = HelloServer.start();
        URI hello = URI.create("http://127.0.0.1:" + helloServer.port() + "/hello");
        try (ApplicationContext context = ApplicationContext.run(properties, "production")) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            http = new BenchHttp(stack, URI.create(server.getURL().toString()), hello);
            release = context.getBean(MultiScopeRelease.class);
            List<String> rows = new ArrayList<>();
            for (int n : sizes) {
                rows.add(measure(n));
            }
            System.out.println();
            System.out.println("A rotation at three scopes of a project with " + ENVIRONMENTS * SERVICES
                    + " deployments: one release vs three imports (ms; " + SAMPLES + " samples each, alternately, "
                    + Runtime.getRuntime().availableProcessors() + " cores, " + stack + ")");
            System.out.println(String.format(
                    Locale.ROOT,
                    "%6s | %11s %11s | %11s %11s | %9s %9s | %14s %14s",
                    "keys",
                    "release p50",
                    "release p99",
                    "3 imp. p50",
                    "3 imp. p99",
                    "p50 ratio",
                    "p99 ratio",
                    "events/release",
                    "events/3 imp."));
            rows.forEach(System.out::println);
        } finally {
            helloServer.close();
        }
    }

    private String measure(int perScope) {
        String project = "rel-" + perScope + "-" + BenchHttp.randomSuffix();
        String admin = stack.adminToken();
        String base = "/v1/projects/" + project;
        http.call("PUT", base, admin, null);
        for (int e = 0; e < ENVIRONMENTS; e++) {
            http.call("PUT", base + "/environments/e" + e, admin, Map.of("type", e == 0 ? "production" : "staging"));
        }
        for (int s = 0; s < SERVICES; s++) {
            http.call("PUT", base + "/services/s" + s, admin, null);
            for (int e = 0; e < ENVIRONMENTS; e++) {
                http.call("PUT", base + "/environments/e" + e + "/services/s" + s, admin, null);
            }
        }
        Map<String, Scope> scopes = new LinkedHashMap<>();
        scopes.put("", Scope.project(project));
        scopes.put("/environments/e0", Scope.environment(project, "e0"));
        scopes.put("/services/s0", Scope.service(project, "s0"));
        int[] version = {0};
        Runnable imports = () -> {
            for (Map.Entry<String, Scope> scope : scopes.entrySet()) {
                http.call("POST", base + scope.getKey() + "/import", admin, values(scope.getValue(), perScope));
            }
            version[0]++;
        };
        imports.run();
        Actor actor = new Actor("bench-release", "bench", "bench-release");
        long[] releaseEvents = {0};
        long[] importEvents = {0};
        Runnable released = () -> {
            List<StagedChange> changes = new ArrayList<>();
            for (Scope scope : scopes.values()) {
                values(scope, perScope)
                        .forEach((key, value) ->
                                changes.add(new StagedChange(scope, key, new SecretValue(value), version[0])));
            }
            releaseEvents[0] += release.release(
                            UUID.randomUUID().toString(), "bench-draft", actor, changes, RestartMode.EVENTS)
                    .restarts()
                    .size();
            version[0]++;
        };
        Runnable counted = () -> {
            for (Map.Entry<String, Scope> scope : scopes.entrySet()) {
                importEvents[0] += restarts(http.call(
                        "POST", base + scope.getKey() + "/import", admin, values(scope.getValue(), perScope)));
            }
            version[0]++;
        };
        for (int i = 0; i < WARMUP; i++) {
            released.run();
            counted.run();
        }
        releaseEvents[0] = 0;
        importEvents[0] = 0;
        long[][] times = BenchHttp.alternately(SAMPLES, released, counted);
        double r50 = BenchHttp.ms(BenchHttp.percentile(times[0], 50));
        double r99 = BenchHttp.ms(BenchHttp.percentile(times[0], 99));
        double i50 = BenchHttp.ms(BenchHttp.percentile(times[1], 50));
        double i99 = BenchHttp.ms(BenchHttp.percentile(times[1], 99));
        return String.format(
                Locale.ROOT,
                "%6d | %11.2f %11.2f | %11.2f %11.2f | %8.2fx %8.2fx | %14.1f %14.1f",
                perScope * scopes.size(),
                r50,
                r99,
                i50,
                i99,
                r50 / i50,
                r99 / i99,
                releaseEvents[0] / (double) SAMPLES,
                importEvents[0] / (double) SAMPLES);
    }

    /** New values for the scope's keys: every round changes every key, so every round restarts. */
    private static Map<String, String> values(Scope scope, int perScope) {
        Map<String, String> values = new LinkedHashMap<>();
        String prefix = scope.kind().name().substring(0, 3);
        for (int k = 0; k < perScope; k++) {
            values.put(prefix + "_KEY_" + k, BenchHttp.randomValue());
        }
        return values;
    }

    private static int restarts(String answer) {
        try {
            JsonNode restarts = JSON.readTree(answer).path("restarts");
            return restarts.size();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
