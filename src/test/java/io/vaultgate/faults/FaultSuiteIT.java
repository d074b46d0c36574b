package io.vaultgate.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultgate.restart.Receiver;
import io.vaultgate.testing.GatewayProcess;
import io.vaultgate.testing.LocalMariaDb;
import io.vaultgate.testing.Part;
import io.vaultgate.testing.PersistentBao;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite: the gateway (its own JVM), OpenBao with persistent Raft storage and MariaDB
 * (a server of its own) under a steady load of writes, boot fetches and restart deliveries, while
 * each part in turn is killed with -9, frozen with SIGSTOP and (OpenBao) sealed. Afterwards it
 * checks every acknowledged write against both stores and every event owed against the receiver,
 * prints the figures, and fails on any write lost or half visible, any orphan in Vault, any stale
 * boot fetch answered 200, any delivery owed and never made, and any canary in the gateway's log.
 *
 * <p>CI runs one round ({@code faults.rounds=1}); {@code bench/faults.sh} runs more.
 */
class FaultSuiteIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = Integer.getInteger("faults.rounds", 1);
    private static final int WRITERS = Integer.getInteger("faults.writers", 3);
    private static final Duration FREEZE = Duration.ofSeconds(3);
    private static final Duration DOWN = Duration.ofSeconds(2);
    private static final Duration BETWEEN = Duration.ofSeconds(3);
    private static final String PROJECT = "/v1/projects/faults";
    private static final String API = PROJECT + "/environments/prod/services/api";
    private static final String WEB = PROJECT + "/environments/prod/services/web";
    private static final List<String> SCOPES = List.of(PROJECT, API, WEB);

    private final String canary = "fault-canary-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicLong ackedCounter = new AtomicLong();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger staleFetches = new AtomicInteger();
    private final AtomicInteger attempted = new AtomicInteger();
    private final Map<String, Double> recoverySeconds = new LinkedHashMap<>();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private volatile long lastAcknowledgedAt = System.nanoTime();

    private GatewayProcess gateway;
    private String admin;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void noAcknowledgedWriteRestartOrBootIsLostOrWrongWhileEachPartIsKilledFrozenAndSealed(@TempDir Path dir)
            throws Exception {
        try (PersistentBao bao = PersistentBao.start(dir.resolve("bao"));
                LocalMariaDb db = LocalMariaDb.start(dir.resolve("mariadb"), "vaultgate");
                Receiver receiver = new Receiver()) {
            gateway = GatewayProcess.start(
                    gatewayProperties(db, bao), Map.of("VAULT_TOKEN", bao.gatewayToken()), dir.resolve("gateway.log"));
            admin = bao.adminToken();
            createCatalog(receiver);

            ExecutorService load = Executors.newFixedThreadPool(WRITERS + 2);
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                load.submit(() -> write(writer));
            }
            load.submit(this::rewriteCounter);
            load.submit(this::bootFetch);
            try {
                pause(BETWEEN);
                for (int round = 1; round <= ROUNDS; round++) {
                    for (Part part : List.of(gateway, db, bao)) {
                        fault(part.name() + " kill -9", () -> {
                            part.kill();
                            pause(DOWN);
                            part.restart();
                        });
                        fault(part.name() + " SIGSTOP", () -> {
                            part.freeze();
                            pause(FREEZE);
                            part.thaw();
                        });
                    }
                    fault("openbao sealed", () -> {
                        bao.seal();
                        pause(FREEZE);
                        bao.unseal();
                    });
                }
            } finally {
                loading.set(false);
                load.shutdown();
                load.awaitTermination(60, TimeUnit.SECONDS);
            }

            try (Connection sql = DriverManager.getConnection(db.jdbcUrl("vaultgate"), "root", "")) {
                Duration settled = settle(sql);
                Report report = verify(sql, bao, receiver, settled);
                System.out.println(report);
                assertThat(report.lost()).as("acknowledged writes lost").isZero();
                assertThat(report.halfVisible())
                        .as("keys in one store and not the other")
                        .isZero();
                assertThat(report.orphaned())
                        .as("writes Vault has that MySQL aborted")
                        .isZero();
                assertThat(report.staleFetches())
                        .as("boot fetches answered 200 with stale data")
                        .isZero();
                assertThat(report.owed() - report.delivered())
                        .as("deliveries owed and never made")
                        .isZero();
                assertThat(report.badSignatures()).isZero();
                assertThat(report.canariesInLog())
                        .as("secret values in the gateway's log")
                        .isZero();
                assertThat(report.acknowledged()).as("the load made progress").isGreaterThan(20);
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    private Map<String, String> gatewayProperties(LocalMariaDb db, PersistentBao bao) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("datasources.default.url", db.jdbcUrl("vaultgate"));
        properties.put("datasources.default.username", "root");
        properties.put("vaultgate.vault.uri", bao.address());
        properties.put("vaultgate.reconciler.interval", "1s");
        properties.put("vaultgate.reconciler.stale-after", "15s");
        properties.put("vaultgate.rate-limit.writes", "100000");
        properties.put("vaultgate.restart.poll-interval", "100ms");
        properties.put("vaultgate.restart.lease", "5s");
        properties.put("vaultgate.restart.request-timeout", "2s");
        properties.put("vaultgate.restart.circuit-open-wait", "1s");
        properties.put("vaultgate.restart.retry-schedule", "200ms,500ms,1s,2s,2s,2s,2s,2s,2s,2s,2s,2s");
        properties.put("vaultgate.auth.cache-ttl", "5s");
        return properties;
    }

    private void createCatalog(Receiver receiver) throws Exception {
        require("PUT", PROJECT, null);
        require("PUT", PROJECT + "/hook-networks", Map.of("allowedPrivate", List.of("127.0.0.1/32")));
        require("PUT", PROJECT + "/environments/prod", Map.of("type", "production"));
        for (String service : List.of("api", "web")) {
            require("PUT", PROJECT + "/services/" + service, null);
            require("PUT", PROJECT + "/environments/prod/services/" + service, null);
        }
        JsonNode hook = JSON.readTree(require("POST", PROJECT + "/hooks", Map.of("url", receiver.url())));
        receiver.trust(hook.path("secret").asText());
    }

    /** Each writer sets keys of its own, once each, in turn at the three scopes. */
    private void write(int writer) {
        for (int n = 0; loading.get(); n++) {
            String key = "W" + writer + "_" + n;
            String scope = SCOPES.get(n % SCOPES.size());
            String value = canary + "-" + writer + "-" + n;
            attempted.incrementAndGet();
            int status = send("PUT", scope + "/secrets/" + key, Map.of("value", value), admin, "write");
            if (status == 200 || status == 201) {
                acknowledged.put(scope + "|" + key, value);
                lastAcknowledgedAt = System.nanoTime();
            } else {
                pause(Duration.ofMillis(100));
            }
        }
    }

    /** One key rewritten with a rising number: what a boot fetch must never see go back. */
    private void rewriteCounter() {
        for (long n = 1; loading.get(); n++) {
            int status = send("PUT", API + "/secrets/COUNTER", Map.of("value", String.valueOf(n)), admin, "write");
            if (status == 200 || status == 201) {
                ackedCounter.set(n);
            }
            pause(Duration.ofMillis(50));
        }
    }

    /** A container booting again and again; its COUNTER must be at least what was acknowledged before it asked. */
    private void bootFetch() {
        String token = null;
        while (loading.get()) {
            try {
                if (token == null) {
                    HttpResponse<String> minted = exchange("POST", API + "/tokens", Map.of(), admin);
                    tally("mint " + minted.statusCode());
                    token = minted.statusCode() == 201
                            ? JSON.readTree(minted.body()).path("token").asText()
                            : null;
                    if (token == null) {
                        pause(Duration.ofMillis(200));
                        continue;
                    }
                }
                long before = ackedCounter.get();
                HttpResponse<String> fetched = exchange("GET", "/v1/env?format=json", null, token);
                tally("boot " + fetched.statusCode());
                if (fetched.statusCode() == 200) {
                    fetches.incrementAndGet();
                    long seen = JSON.readTree(fetched.body()).path("COUNTER").asLong(0);
                    if (seen < before) {
                        staleFetches.incrementAndGet();
                    }
                } else if (fetched.statusCode() == 401 || fetched.statusCode() == 403) {
                    token = null;
                }
            } catch (IOException e) {
                tally("boot " + failure(e));
            }
            pause(Duration.ofMillis(50));
        }
    }

    private void fault(String name, ThrowingRunnable fault) throws Exception {
        System.out.println("fault: " + name);
        fault.run();
        long ended = System.nanoTime();
        long deadline = ended + TimeUnit.SECONDS.toNanos(120);
        while (lastAcknowledgedAt < ended && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(20));
        }
        // The slowest of the rounds; -1: no write was acknowledged within two minutes.
        double recovery = lastAcknowledgedAt < ended ? -1 : (lastAcknowledgedAt - ended) / 1e9;
        recoverySeconds.merge(name, recovery, (earlier, now) -> earlier < 0 || now < 0 ? -1 : Math.max(earlier, now));
        pause(BETWEEN);
    }

    /** Waits for the reconciler and the dispatcher to finish: nothing pending, nothing owed. */
    private Duration settle(Connection sql) throws Exception {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (count(sql, "SELECT COUNT(*) FROM change_set WHERE status = 'pending'") == 0
                    && count(sql, "SELECT COUNT(*) FROM webhook_delivery WHERE status IN ('pending', 'sending')")
                            == 0) {
                break;
            }
            pause(Duration.ofMillis(200));
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private Report verify(Connection sql, PersistentBao bao, Receiver receiver, Duration settled) throws Exception {
        int lost = 0;
        int halfVisible = 0;
        int orphaned = 0;
        Map<String, Map<String, String>> vaultAcknowledged = new HashMap<>();
        Map<String, Set<String>> mysqlKeys = new HashMap<>();
        Map<String, Integer> entryVersions = new HashMap<>();
        Set<String> aborted = new HashSet<>();
        try (Statement statement = sql.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT entry_path, vault_version FROM scope_entry")) {
                while (rows.next()) {
                    entryVersions.put(rows.getString(1), rows.getInt(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT e.entry_path, s.key_name FROM secret s "
                    + "JOIN scope_entry e ON e.id = s.scope_entry_id WHERE s.deleted = FALSE")) {
                while (rows.next()) {
                    mysqlKeys
                            .computeIfAbsent(rows.getString(1), p -> new HashSet<>())
                            .add(rows.getString(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT id FROM change_set WHERE status = 'aborted'")) {
                while (rows.next()) {
                    aborted.add(rows.getString(1));
                }
            }
        }
        for (Map.Entry<String, Integer> entry : entryVersions.entrySet()) {
            String vaultPath = "vaultgate/data/projects/" + entry.getKey();
            Map<String, String> values = new HashMap<>();
            if (entry.getValue() > 0) {
                JsonNode data = bao.call("GET", vaultPath + "?version=" + entry.getValue(), null)
                        .body()
                        .path("data")
                        .path("data");
                data.fields()
                        .forEachRemaining(
                                f -> values.put(f.getKey(), f.getValue().asText()));
            }
            values.remove("vaultgate:change-set");
            vaultAcknowledged.put(entry.getKey(), values);
            Set<String> inMysql = mysqlKeys.getOrDefault(entry.getKey(), Set.of());
            Set<String> onlyOne = new HashSet<>(inMysql);
            onlyOne.addAll(values.keySet());
            Set<String> both = new HashSet<>(inMysql);
            both.retainAll(values.keySet());
            onlyOne.removeAll(both);
            halfVisible += onlyOne.size();
            String latestMarker = bao.call("GET", vaultPath, null)
                    .body()
                    .path("data")
                    .path("data")
                    .path("vaultgate:change-set")
                    .asText("");
            if (aborted.contains(latestMarker)) {
                orphaned++;
            }
        }
        for (Map.Entry<String, String> write : acknowledged.entrySet()) {
            String[] scopeAndKey = write.getKey().split("\\|");
            String entryPath = entryPathOf(scopeAndKey[0]);
            String stored = vaultAcknowledged.getOrDefault(entryPath, Map.of()).get(scopeAndKey[1]);
            if (!write.getValue().equals(stored)
                    || !mysqlKeys.getOrDefault(entryPath, Set.of()).contains(scopeAndKey[1])) {
                lost++;
            }
        }
        long owed = count(sql, "SELECT COUNT(*) FROM webhook_delivery");
        long dead = count(sql, "SELECT COUNT(*) FROM webhook_delivery WHERE status = 'dead'");
        List<String> requests = receiver.requests();
        long canaries = Files.readString(gateway.log(), StandardCharsets.UTF_8).split(canary, -1).length - 1;
        return new Report(
                ROUNDS,
                attempted.get(),
                acknowledged.size(),
                lost,
                halfVisible,
                orphaned,
                fetches.get(),
                staleFetches.get(),
                owed,
                receiver.accepted().size(),
                requests.size() - new HashSet<>(requests).size(),
                dead,
                receiver.badSignatures(),
                canaries,
                new TreeMap<>(snapshot(statuses)),
                recoverySeconds,
                settled.toMillis() / 1000.0);
    }

    private static String entryPathOf(String scope) {
        String path = scope.substring("/v1/projects/".length());
        return path.replace("/environments/", "/env/").replace("/services/", "/svc/");
    }

    record Report(
            int rounds,
            int attempted,
            int acknowledged,
            int lost,
            int halfVisible,
            int orphaned,
            int fetches,
            int staleFetches,
            long owed,
            long delivered,
            long duplicated,
            long dead,
            int badSignatures,
            long canariesInLog,
            Map<String, Integer> statuses,
            Map<String, Double> recoverySeconds,
            double settleSeconds) {
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("\n== fault suite: " + rounds + " round(s) ==\n");
            out.append(String.format(
                    "writes attempted %d, acknowledged %d, lost %d, half-visible %d, orphaned %d%n",
                    attempted, acknowledged, lost, halfVisible, orphaned));
            out.append(String.format("boot fetches answered 200: %d, stale: %d%n", fetches, staleFetches));
            out.append(String.format(
                    "deliveries owed %d, delivered %d, duplicated %d, dead-lettered %d, bad signatures %d%n",
                    owed, delivered, duplicated, dead, badSignatures));
            out.append("status codes seen: ").append(statuses).append('\n');
            out.append("recovery, slowest of the rounds (s from the fault's end to the next acknowledged write):\n");
            recoverySeconds.forEach((fault, seconds) -> out.append(String.format("  %-22s %6.2f%n", fault, seconds)));
            out.append(String.format(
                    "settled (nothing pending, nothing owed) %.1f s after the load stopped%n", settleSeconds));
            out.append(String.format("canaries in the gateway's log: %d%n", canariesInLog));
            return out.toString();
        }
    }

    private int send(String method, String path, Object body, String token, String what) {
        try {
            int status = exchange(method, path, body, token).statusCode();
            tally(what + " " + status);
            return status;
        } catch (IOException e) {
            tally(what + " " + failure(e));
            return 0;
        }
    }

    private String require(String method, String path, Object body) throws IOException {
        HttpResponse<String> answer = exchange(method, path, body, admin);
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    private HttpResponse<String> exchange(String method, String path, Object body, String token) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.address().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void tally(String outcome) {
        statuses.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
    }

    private static String failure(IOException e) {
        return e instanceof java.net.http.HttpTimeoutException ? "timeout" : "no-answer";
    }

    private static long count(Connection sql, String query) throws SQLException {
        try (Statement statement = sql.createStatement();
                ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
        Map<String, Integer> copy = new HashMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
