package io.vaultgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Import benchmark (not a test): {@code POST …/import} of 1,000 and 5,000 keys into a fresh scope
 * each time, through the gateway in production mode on real OpenBao and MariaDB (run
 * scripts/test-services.sh first), beside a baseline measured in the same run:
 *
 * <ul>
 *   <li><b>vault</b>: the same keys and values written straight to one KV v2 entry by a keep-alive
 *       Java client with the root token, in as few requests as a stock listener takes (at most
 *       {@link #KEYS_PER_DIRECT_REQUEST} keys each: a create, then merge patches with check-and-set);</li>
 *   <li><b>mysql</b>: one JDBC transaction ({@code rewriteBatchedStatements=true}) inserting the same
 *       key rows into {@code secret} and history rows into {@code secret_version} of the gateway's
 *       own schema, under a scratch {@code scope_entry}.</li>
 * </ul>
 * Gateway and baseline samples alternate, after warm-up rounds of each that last until the JIT
 * has settled (at least {@code bench.warmup}, at most {@code bench.warmupMax}). Everything
 * runs on this machine. Run: {@code bench/run.sh import [sizes]}.
 */
public final class ImportBenchmark {

    /**
     * OpenBao's listener refuses a JSON body of more than 1,000 strings; a KV write body holds
     * {@code options}, {@code cas} and {@code data} besides two strings a key.
     */
    static final int KEYS_PER_DIRECT_REQUEST = 498;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARMUP = Integer.getInteger("bench.warmup", 5);
    private static final int WARMUP_MAX = Integer.getInteger("bench.warmupMax", 60);
    /** Warm-up rounds between two looks at the JIT. */
    private static final int WARMUP_BATCH = 5;

    private static final int SAMPLES = Integer.getInteger("bench.samples", 15);
    /** Imports more of each size, not counted, with the gateway's statements timed (0: none). */
    private static final int STATEMENT_ROUNDS = Integer.getInteger("bench.statementRounds", 3);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final RealStack stack = RealStack.forClass(ImportBenchmark.class);
    private final String project = "bench-import-" + Long.toHexString(RANDOM.nextLong() & 0xffffff);
    private URI gateway;
    /** The baseline's rows and entries live in a project of their own, at service scopes the catalog never lists. */
    private final String directProject = project + "-direct";

    private long directProjectId;
    private int scopes;

    public static void main(String[] args) throws Exception {
        new ImportBenchmark()
                .run(
                        args.length == 0
                                ? List.of(1_000, 5_000)
                                : Arrays.stream(args).map(Integer::valueOf).toList());
        System.exit(0);
    }

    private void run(List<Integer> sizes) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.put("micronaut.server.port", "-1");
        properties.put(
                "datasources.default.url", stack.jdbcUrl() + "&queryInterceptors=" + StatementTimer.class.getName());
        try (ApplicationContext context = ApplicationContext.run(properties, "production");
                Connection mysql = DriverManager.getConnection(
                        stack.jdbcUrl() + "&rewriteBatchedStatements=true", stack.jdbcUser(), stack.jdbcPassword())) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            gateway = URI.create(server.getURL().toString());
            String admin = stack.adminToken();
            call("PUT", "/v1/projects/" + project, admin, null);
            call("PUT", "/v1/projects/" + project + "/environments/production", admin, Map.of("type", "production"));
            call("PUT", "/v1/projects/" + directProject, admin, null);
            directProjectId = projectId(mysql, directProject);
            List<String> rows = new ArrayList<>();
            List<String> statements = new ArrayList<>();
            for (int keys : sizes) {
                rows.add(measure(keys, mysql));
                if (STATEMENT_ROUNDS > 0) {
                    statements.addAll(timeStatements(keys, admin));
                }
            }
            System.out.println();
            System.out.println("Import into a fresh scope through the gateway vs a direct Vault write + one MySQL batch"
                    + " transaction (ms; " + SAMPLES + " samples after warm-up rounds until the JIT settled, "
                    + Runtime.getRuntime().availableProcessors() + " cores, " + stack + ")");
            System.out.println(String.format(
                    Locale.ROOT,
                    "%6s | %8s %8s | %9s %9s | %9s %9s | %9s %9s | %8s %8s | %-24s | %s",
                    "keys",
                    "gw p50",
                    "gw max",
                    "vault p50",
                    "vault max",
                    "mysql p50",
                    "mysql max",
                    "base p50",
                    "base max",
                    "p50/base",
                    "max/base",
                    "vault requests gw/direct",
                    "warm-up rounds"));
            rows.forEach(System.out::println);
            System.out.println();
            System.out.println("goal: gateway p50 <= 1.5 x baseline p50 (baseline = vault + mysql, each round)");
            statements.forEach(System.out::println);
        }
    }

    private String measure(int keys, Connection mysql) throws Exception {
        String admin = stack.adminToken();
        int warmedUp = BenchHttp.warmUp(
                () -> {
                    try {
                        gatewayImport(keys, admin);
                        baseline(keys, mysql);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                WARMUP,
                WARMUP_MAX,
                WARMUP_BATCH);
        long[] gw = new long[SAMPLES];
        long[] vault = new long[SAMPLES];
        long[] db = new long[SAMPLES];
        long[] base = new long[SAMPLES];
        int gwRequests = 0;
        int directRequests = 0;
        for (int i = 0; i < SAMPLES; i++) {
            Imported imported = gatewayImport(keys, admin);
            gw[i] = imported.nanos();
            gwRequests = imported.vaultVersions();
            Baseline measured = baseline(keys, mysql);
            vault[i] = measured.vaultNanos();
            db[i] = measured.mysqlNanos();
            base[i] = measured.vaultNanos() + measured.mysqlNanos();
            directRequests = measured.vaultRequests();
        }
        double gw50 = ms(median(gw));
        double base50 = ms(median(base));
        return String.format(
                Locale.ROOT,
                "%6d | %8.1f %8.1f | %9.1f %9.1f | %9.1f %9.1f | %9.1f %9.1f | %7.2fx %7.2fx | %-24s | %d",
                keys,
                gw50,
                ms(max(gw)),
                ms(median(vault)),
                ms(max(vault)),
                ms(median(db)),
                ms(max(db)),
                base50,
                ms(max(base)),
                gw50 / base50,
                ms(max(gw)) / ms(max(base)),
                gwRequests + "/" + directRequests,
                warmedUp);
    }

    /**
     * {@link #STATEMENT_ROUNDS} more imports, not counted, with the gateway's statements timed by
     * shape: where a mean import's MySQL time goes (the statements' round trips, not binding
     * them), largest first.
     */
    private List<String> timeStatements(int keys, String admin) throws IOException {
        long nanos = 0;
        for (int i = 0; i < STATEMENT_ROUNDS; i++) {
            nanos += gatewayImport(keys, admin, true).nanos();
        }
        Map<String, StatementTimer.Timed> timed = StatementTimer.stop();
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add(String.format(
                Locale.ROOT,
                "Statements of %d more %,d-key imports, a mean import (%.1f ms in all; every connection of the"
                        + " gateway, [pollers] included): ms, count",
                STATEMENT_ROUNDS,
                keys,
                ms(nanos) / STATEMENT_ROUNDS));
        long total =
                timed.values().stream().mapToLong(StatementTimer.Timed::nanos).sum();
        timed.entrySet().stream()
                .sorted((a, b) ->
                        Long.compare(b.getValue().nanos(), a.getValue().nanos()))
                .limit(16)
                .forEach(e -> lines.add(String.format(
                        Locale.ROOT,
                        "%8.1f %6.1f  %s",
                        ms(e.getValue().nanos()) / STATEMENT_ROUNDS,
                        e.getValue().count() / (double) STATEMENT_ROUNDS,
                        e.getKey())));
        lines.add(String.format(Locale.ROOT, "%8.1f %6s  all statements", ms(total) / STATEMENT_ROUNDS, ""));
        return lines;
    }

    private record Imported(long nanos, int vaultVersions) {}

    private Imported gatewayImport(int keys, String admin) throws IOException {
        return gatewayImport(keys, admin, false);
    }

    /**
     * One import of {@code keys} new keys into a service scope never written before, with one
     * deployment; {@code timed}: the import's statements are timed (not the scope's creation).
     */
    private Imported gatewayImport(int keys, String admin, boolean timed) throws IOException {
        String service = "s" + (++scopes);
        call("PUT", "/v1/projects/" + project + "/services/" + service, admin, null);
        call("PUT", "/v1/projects/" + project + "/environments/production/services/" + service, admin, null);
        Map<String, String> body = values(keys);
        String json = JSON.writeValueAsString(body);
        if (timed) {
            StatementTimer.resume();
        }
        long started = System.nanoTime();
        String answer = call("POST", "/v1/projects/" + project + "/services/" + service + "/import", admin, json);
        long nanos = System.nanoTime() - started;
        StatementTimer.pause();
        if (JSON.readTree(answer).path("created").size() != keys) {
            throw new IllegalStateException("the import did not create " + keys + " keys");
        }
        JsonNode metadata = JSON.readTree(vault(
                        "GET",
                        stack.kvMount() + "/metadata/" + stack.pathPrefix() + "/" + project + "/svc/" + service,
                        null))
                .path("data");
        return new Imported(nanos, metadata.path("current_version").asInt());
    }

    private record Baseline(long vaultNanos, long mysqlNanos, int vaultRequests) {}

    /** The same data straight to Vault, then the same rows to MySQL in one batch transaction. */
    private Baseline baseline(int keys, Connection mysql) throws Exception {
        String scope = "direct-" + (++scopes);
        List<Map.Entry<String, String>> entries = new ArrayList<>(values(keys).entrySet());
        String entryPath = directProject + "/svc/" + scope;
        String path = stack.kvMount() + "/data/" + stack.pathPrefix() + "/" + entryPath;
        long started = System.nanoTime();
        int version = 0;
        int requests = 0;
        for (int from = 0; from < entries.size(); from += KEYS_PER_DIRECT_REQUEST) {
            Map<String, String> step = new LinkedHashMap<>();
            entries.subList(from, Math.min(entries.size(), from + KEYS_PER_DIRECT_REQUEST))
                    .forEach(e -> step.put(e.getKey(), e.getValue()));
            String body = JSON.writeValueAsString(Map.of("options", Map.of("cas", version), "data", step));
            String answer = version == 0 ? vault("POST", path, body) : vaultPatch(path, body);
            version = JSON.readTree(answer).path("data").path("version").asInt();
            requests++;
        }
        long vaultNanos = System.nanoTime() - started;

        started = System.nanoTime();
        insertRows(mysql, entryPath, entries.stream().map(Map.Entry::getKey).toList(), version);
        return new Baseline(vaultNanos, System.nanoTime() - started, requests);
    }

    /** One transaction: a scope row, then one batch of key rows and one of history rows. */
    private void insertRows(Connection mysql, String entryPath, List<String> keys, int vaultVersion)
            throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        String changeSet = UUID.randomUUID().toString();
        mysql.setAutoCommit(false);
        try {
            long scopeEntryId;
            try (PreparedStatement entry = mysql.prepareStatement(
                    "INSERT INTO scope_entry (project_id, entry_path, scope_kind, vault_version) VALUES (?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                entry.setLong(1, directProjectId);
                entry.setString(2, entryPath);
                entry.setString(3, "service");
                entry.setInt(4, vaultVersion);
                entry.executeUpdate();
                scopeEntryId = firstKey(entry);
            }
            List<Long> ids = new ArrayList<>(keys.size());
            try (PreparedStatement secrets = mysql.prepareStatement(
                    "INSERT INTO secret (scope_entry_id, key_name, version, vault_version, deleted, created_at,"
                            + " created_by, updated_at, updated_by) VALUES (?, ?, 1, ?, FALSE, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (String key : keys) {
                    secrets.setLong(1, scopeEntryId);
                    secrets.setString(2, key);
                    secrets.setInt(3, vaultVersion);
                    secrets.setTimestamp(4, now);
                    secrets.setString(5, "bench");
                    secrets.setTimestamp(6, now);
                    secrets.setString(7, "bench");
                    secrets.addBatch();
                }
                secrets.executeBatch();
                try (ResultSet generated = secrets.getGeneratedKeys()) {
                    while (generated.next()) {
                        ids.add(generated.getLong(1));
                    }
                }
            }
            try (PreparedStatement history = mysql.prepareStatement(
                    "INSERT INTO secret_version (secret_id, version, vault_version, deleted, change_set_id, actor,"
                            + " created_at) VALUES (?, 1, ?, FALSE, ?, ?, ?)")) {
                for (long id : ids) {
                    history.setLong(1, id);
                    history.setInt(2, vaultVersion);
                    history.setString(3, changeSet);
                    history.setString(4, "bench");
                    history.setTimestamp(5, now);
                    history.addBatch();
                }
                history.executeBatch();
            }
            mysql.commit();
        } catch (SQLException e) {
            mysql.rollback();
            throw e;
        } finally {
            mysql.setAutoCommit(true);
        }
    }

    private static long firstKey(Statement statement) throws SQLException {
        try (ResultSet generated = statement.getGeneratedKeys()) {
            generated.next();
            return generated.getLong(1);
        }
    }

    private static long projectId(Connection mysql, String slug) throws SQLException {
        try (PreparedStatement query = mysql.prepareStatement("SELECT id FROM project WHERE slug = ?")) {
            query.setString(1, slug);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Map<String, String> values(int keys) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keys; i++) {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            values.put("KEY_" + i, java.util.Base64.getEncoder().encodeToString(bytes));
        }
        return values;
    }

    private String call(String method, String path, String token, Object body) throws IOException {
        String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        if (text != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build());
    }

    private String vault(String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/" + path))
                .header("X-Vault-Token", stack.rootToken())
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private String vaultPatch(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/" + path))
                .header("X-Vault-Token", stack.rootToken())
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private String send(HttpRequest request) {
        return BenchHttp.send(http, request);
    }

    private static long median(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    private static long max(long[] samples) {
        return Arrays.stream(samples).max().orElse(0);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
