package io.vaultgate.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vaultgate.TcpProxy;
import io.vaultgate.testing.RealStack;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code vaultgate run} boot benchmark (not a test): on real OpenBao and MariaDB, the gateway in
 * production mode in this JVM, a deployment of 100 secrets, and the CLI as its own JVM as a
 * container starts it. Each round runs, in turn:
 *
 * <ul>
 *   <li><b>plain</b> (the baseline): {@code run -- CMD} without a fallback file;</li>
 *   <li><b>keep</b>: {@code run --fallback F -- CMD}: the same fetch, then the file written in the
 *       background (PBKDF2, 600,000 iterations) while CMD starts, joined before {@code run} exits;</li>
 *   <li><b>offline</b>: {@code run --fallback F --fallback-only -- CMD}: no gateway call, the file
 *       decrypted (the same derivation);</li>
 *   <li><b>down</b>: {@code run --fallback F -- CMD} while the relay in front of the gateway
 *       refuses connections: two refused connections, the CLI's half-second pause between them,
 *       then the file.</li>
 * </ul>
 * CMD prints the clock when it starts, so each run gives the time to CMD's start and the time to
 * {@code run}'s exit, from the launch of the CLI's JVM. Run: {@code bench/run.sh fallback}.
 */
public final class FallbackBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 8);
    private static final int SECRETS = 100;

    private final RealStack stack = RealStack.forClass(FallbackBenchmark.class);

    public static void main(String[] args) throws Exception {
        new FallbackBenchmark().run();
        System.exit(0);
    }

    private record Sample(long toStartNanos, long toExitNanos) {}

    private void run() throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.put("micronaut.server.port", "-1");
        HelloServer hello = HelloServer.start();
        Path work = Files.createTempDirectory("vaultgate-fallback-bench");
        try (ApplicationContext context = ApplicationContext.run(properties, "production")) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            BenchHttp http = new BenchHttp(
                    stack,
                    URI.create(server.getURL().toString()),
                    URI.create("http://127.0.0.1:" + hello.port() + "/hello"));
            BenchProject project =
                    BenchProject.create(http, stack.adminToken(), "fallback-" + BenchHttp.randomSuffix(), SECRETS);
            // Through a relay, so "down" is the same address refusing connections: the default
            // passphrase is derived from the token and the address.
            TcpProxy relay = new TcpProxy(server.getHost(), server.getPort());
            String up = "http://127.0.0.1:" + relay.port();
            Path file = work.resolve("app.fallback");
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            List<String> variants = List.of("plain", "keep", "offline", "down");
            variants.forEach(v -> samples.put(v, new ArrayList<>()));
            // One unmeasured round of each: the file exists, the OS caches hold the class path.
            sample(up, project.token(), List.of("--fallback", file.toString()), work);
            for (int round = 0; round < ROUNDS; round++) {
                samples.get("plain").add(sample(up, project.token(), List.of(), work));
                samples.get("keep").add(sample(up, project.token(), List.of("--fallback", file.toString()), work));
                samples.get("offline")
                        .add(sample(
                                up, project.token(), List.of("--fallback", file.toString(), "--fallback-only"), work));
                relay.refuseConnections();
                try {
                    samples.get("down").add(sample(up, project.token(), List.of("--fallback", file.toString()), work));
                } finally {
                    relay.listenAgain();
                }
            }
            List<Sample> baseline = samples.get("plain");
            System.out.println();
            System.out.println("vaultgate run: time from the CLI's launch to CMD's start and to run's exit (ms; "
                    + ROUNDS + " rounds, " + SECRETS + " secrets, "
                    + Runtime.getRuntime().availableProcessors() + " cores, " + stack + ")");
            System.out.println(String.format(
                    Locale.ROOT,
                    "%-8s | %10s %10s | %10s %10s | %14s %14s",
                    "variant",
                    "start p50",
                    "start max",
                    "exit p50",
                    "exit max",
                    "start/plain",
                    "exit/plain"));
            for (String variant : variants) {
                List<Sample> s = samples.get(variant);
                long startP50 = p50(s, true);
                long exitP50 = p50(s, false);
                System.out.println(String.format(
                        Locale.ROOT,
                        "%-8s | %10.0f %10.0f | %10.0f %10.0f | %14.2f %14.2f",
                        variant,
                        BenchHttp.ms(startP50),
                        BenchHttp.ms(max(s, true)),
                        BenchHttp.ms(exitP50),
                        BenchHttp.ms(max(s, false)),
                        startP50 / (double) p50(baseline, true),
                        exitP50 / (double) p50(baseline, false)));
            }
        } finally {
            hello.close();
        }
    }

    private static Sample sample(String address, String token, List<String> options, Path work) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "io.vaultgate.cli.VaultgateCli",
                "run"));
        command.addAll(options);
        command.addAll(List.of("--", "sh", "-c", "date +%s%N"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("VAULTGATE_ADDR", address);
        env.put("VAULTGATE_TOKEN", token);
        builder.environment().clear();
        builder.environment().putAll(env);
        long launchedEpochNanos = System.currentTimeMillis() * 1_000_000L;
        long launched = System.nanoTime();
        Process cli = builder.start();
        if (!cli.waitFor(120, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            cli.destroyForcibly();
            // run's stderr holds messages only, never a value or the token.
            throw new IllegalStateException(
                    "vaultgate run failed: " + options + ": " + Files.readString(err, StandardCharsets.UTF_8));
        }
        long exited = System.nanoTime() - launched;
        long started =
                Long.parseLong(Files.readString(out, StandardCharsets.UTF_8).strip()) - launchedEpochNanos;
        return new Sample(started, exited);
    }

    private static long p50(List<Sample> samples, boolean toStart) {
        return BenchHttp.percentile(
                samples.stream()
                        .mapToLong(s -> toStart ? s.toStartNanos() : s.toExitNanos())
                        .toArray(),
                50);
    }

    private static long max(List<Sample> samples, boolean toStart) {
        return samples.stream()
                .mapToLong(s -> toStart ? s.toStartNanos() : s.toExitNanos())
                .max()
                .orElse(0);
    }
}
