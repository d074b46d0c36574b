package io.vaultgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * What the benchmarks share: one keep-alive HTTP/1.1 client for the gateway and Vault, the floor
 * (one hello-world call plus parallel KV reads, the least a fetch through any gateway that reads
 * those entries can cost), a warm-up that lasts until the JIT has settled, and percentiles.
 */
final class BenchHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARMUP_BATCH = 250;
    private static final double WARMUP_JIT_SHARE = 0.02;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final RealStack stack;
    private final URI gateway;
    private final URI hello;

    BenchHttp(RealStack stack, URI gateway, URI hello) {
        this.stack = stack;
        this.gateway = gateway;
        this.hello = hello;
    }

    /** {@code GET /v1/env} with a workload token: the body. */
    String fetch(String token) {
        return send(HttpRequest.newBuilder(gateway.resolve("/v1/env"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
    }

    /** Any gateway call; {@code body} is sent as JSON when not null. */
    String call(String method, String path, String token, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : json(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build());
    }

    /** Any Vault call as root ({@code path} below {@code /v1/}). */
    String vault(String method, String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/" + path))
                .header("X-Vault-Token", stack.rootToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : json(body))
                .build());
    }

    /** The KV v2 data paths of these entry paths (as {@code EntryPath} writes them). */
    List<String> kvPaths(List<String> entryPaths) {
        return entryPaths.stream()
                .map(p -> stack.kvMount() + "/data/" + stack.pathPrefix() + "/" + p)
                .toList();
    }

    /** One hello-world call, then one read of each of these KV paths, all at once on {@code pool}. */
    void floor(ExecutorService pool, List<String> kvPaths) {
        send(HttpRequest.newBuilder(hello).GET().build());
        List<CompletableFuture<String>> reads = new ArrayList<>();
        for (String path : kvPaths) {
            reads.add(CompletableFuture.supplyAsync(() -> vault("GET", path, null), pool));
        }
        reads.forEach(CompletableFuture::join);
    }

    String send(HttpRequest request) {
        return send(http, request);
    }

    /** The answer's body; a status of 300 or more throws, naming the path and status only (an answer may quote the request). */
    static String send(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
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

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code round} in batches until the JIT compiles for less than 2% of a batch's wall
     * time, at least {@code min} times and at most {@code max}: a fixed short warm-up left the
     * compiler threads busy for a core's worth of time during the samples, measuring the JIT rather
     * than the gateway. Returns how many rounds it ran.
     */
    static int warmUp(Runnable round, int min, int max) {
        return warmUp(round, min, max, WARMUP_BATCH);
    }

    /** As {@link #warmUp(Runnable, int, int)}, judging the JIT after every {@code batch} rounds. */
    static int warmUp(Runnable round, int min, int max, int batch) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        int perBatch = Math.min(batch, Math.max(1, max));
        int done = 0;
        while (done < max) {
            long compiledBefore = jit.getTotalCompilationTime();
            long started = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                round.run();
            }
            done += perBatch;
            double wallMillis = (System.nanoTime() - started) / 1_000_000.0;
            if (done >= min && jit.getTotalCompilationTime() - compiledBefore < WARMUP_JIT_SHARE * wallMillis) {
                break;
            }
        }
        return done;
    }

    /** Runs {@code a} then {@code b}, {@code samples} times: their times in ns, as {@code [a, b]}. */
    static long[][] alternately(int samples, Runnable a, Runnable b) {
        long[][] times = new long[2][samples];
        for (int i = 0; i < samples; i++) {
            long t = System.nanoTime();
            a.run();
            times[0][i] = System.nanoTime() - t;
            t = System.nanoTime();
            b.run();
            times[1][i] = System.nanoTime() - t;
        }
        return times;
    }

    static String randomValue() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String randomSuffix() {
        return Long.toHexString(RANDOM.nextLong() & 0xffff);
    }

    static long percentile(long[] samples, int p) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
