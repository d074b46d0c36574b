package io.vaultgate.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vaultgate.testing.RealStack;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Cost curves (a benchmark, not a test): how the cost of the gateway's work grows as the work
 * grows, each row beside a baseline measured in the same run and their ratio. On real OpenBao and
 * MariaDB, the gateway in production mode in this JVM, as {@link BootFetchBenchmark} runs it.
 *
 * <ol>
 *   <li><b>boot</b>: a boot fetch at 10, 100 and 1,000 keys per deployment, against the floor;
 *   <li><b>load</b>, first half: a boot fetch and a single-key write on the nearly empty database;
 *   <li><b>wide</b>: {@code GET .../resolved} and a scope's list at 5,000 keys, against the same
 *       data read straight from Vault (one read per scope entry) plus the equivalent SELECT;
 *   <li><b>restart</b>: a project-level change to 100, 1,000 and 10,000 deployments, to the API's
 *       answer and to the last webhook, against a bare signed HttpClient loop plus one poll;
 *   <li><b>load</b>, second half: the same with 1,000,000 audit rows and 100,000 secrets
 *       bulk-loaded, against the first half; then EXPLAIN of every statement
 *       they ran, flagging full scans.
 * </ol>
 *
 * Arguments name the sections to run (default all, in that order). Run: {@code bench/run.sh curves}.
 */
public final class CostCurvesBenchmark {

    private static final int SAMPLES = Integer.getInteger("bench.samples", 150);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 250);
    private static final int WARMUP_MAX = Integer.getInteger("bench.warmupMax", 750);
    private static final List<Integer> BOOT_KEYS = sizes("bench.boot.keys", "10,100,1000");
    private static final int WIDE_KEYS = Integer.getInteger("bench.wide.keys", 5000);
    private static final int WIDE_SAMPLES = Integer.getInteger("bench.wide.samples", 20);
    private static final int LOAD_SECRETS = Integer.getInteger("bench.load.secrets", 100_000);
    private static final int LOAD_AUDIT = Integer.getInteger("bench.load.audit", 1_000_000);
    private static final int WRITE_SAMPLES = Integer.getInteger("bench.write.samples", 60);
    private static final int WRITE_WARMUP = 30;
    private static final List<Integer> RESTART_SIZES = sizes("bench.restart.sizes", "100,1000,10000");
    private static final int RESTART_ROUNDS = Integer.getInteger("bench.restart.rounds", 2);
    /** A full scan of a table this big is flagged. */
    private static final long BIG_TABLE_ROWS = 1000;

    private final RealStack stack = RealStack.forClass(CostCurvesBenchmark.class);
    private BenchHttp http;
    private String admin;
    private Connection sql;

    public static void main(String[] args) throws Exception {
        List<String> sections = args.length == 0 ? List.of("boot", "wide", "restart", "load") : Arrays.asList(args);
        new CostCurvesBenchmark().run(sections);
        System.exit(0);
    }

    private void run(List<String> sections) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.putAll(RestartCurve.GATEWAY_PROPERTIES);
        // Every statement the gateway sends passes the recorder, which keeps them only while asked.
        properties.put(
                "datasources.default.url", stack.jdbcUrl() + "&queryInterceptors=" + StatementRecorder.class.getName());
        HelloServer helloServer = HelloServer.start();
        try (ApplicationContext context = ApplicationContext.run(properties, "production");
                Connection connection =
                        DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword())) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            http = new BenchHttp(
                    stack,
                    URI.create(server.getURL().toString()),
                    URI.create("http://127.0.0.1:" + helloServer.port() + "/hello"));
            admin = stack.adminToken();
            sql = connection;
            System.out.printf(
                    "Cost curves (ms; %d cores, shared with whatever else runs; %s)%n",
                    Runtime.getRuntime().availableProcessors(), stack);
            if (sections.contains("boot")) {
                boot();
            }
            // After the boot curve, so the JVM the "empty" figures come from is as warm as the loaded one's.
            Load load = sections.contains("load") ? new Load() : null;
            if (load != null) {
                load.before();
            }
            if (sections.contains("wide")) {
                wide();
            }
            if (sections.contains("restart")) {
                restart();
            }
            if (load != null) {
                load.after();
            }
        } finally {
            helloServer.close();
        }
    }

    // --- boot: a fetch at 10, 100, 1,000 keys -------------------------------------------------------

    private void boot() throws Exception {
        List<String> rows = new ArrayList<>();
        double first = 0;
        int firstKeys = 0;
        for (int keys : BOOT_KEYS) {
            BenchProject project =
                    BenchProject.create(http, admin, "curve-" + keys + "-" + BenchHttp.randomSuffix(), keys);
            Sampled fetch = fetchAgainstFloor(project);
            if (rows.isEmpty()) {
                first = fetch.p50();
                firstKeys = keys;
            }
            rows.add(String.format(
                    Locale.ROOT,
                    "%7d | %8.2f %8.2f | %9.2f %9.2f | %8.2fx %8.2fx | %9.1fx for %5.0fx keys | %7d",
                    keys,
                    fetch.p50(),
                    fetch.p99(),
                    fetch.baseP50(),
                    fetch.baseP99(),
                    fetch.p50() / fetch.baseP50(),
                    fetch.p99() / fetch.baseP99(),
                    fetch.p50() / first,
                    keys / (double) firstKeys,
                    fetch.warmedUp()));
        }
        System.out.println();
        System.out.println("== Boot fetch (GET /v1/env) by keys per deployment, keys over the five scopes; " + SAMPLES
                + " samples, alternating with the floor (one hello-world call + five parallel KV reads)");
        System.out.printf(
                Locale.ROOT,
                "%7s | %8s %8s | %9s %9s | %9s %9s | %27s | %7s%n",
                "keys",
                "gw p50",
                "gw p99",
                "floor p50",
                "floor p99",
                "p50/floor",
                "p99/floor",
                "gw p50 growth",
                "warm-up");
        rows.forEach(System.out::println);
    }

    /** Boot fetches of the project's deployment, alternating with the floor of its five entries. */
    private Sampled fetchAgainstFloor(BenchProject project) {
        List<String> kvPaths = http.kvPaths(project.entryPaths());
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            Runnable fetch = () -> http.fetch(project.token());
            Runnable floor = () -> http.floor(pool, kvPaths);
            int warmedUp = BenchHttp.warmUp(
                    () -> {
                        fetch.run();
                        floor.run();
                    },
                    WARMUP,
                    WARMUP_MAX);
            return Sampled.of(BenchHttp.alternately(SAMPLES, fetch, floor), warmedUp);
        } finally {
            pool.shutdown();
        }
    }

    // --- wide: resolved view and a scope's list at 5,000 keys -------------------------------------

    /**
     * The project scope holds {@code WIDE_KEYS} keys and each of the four more specific scopes
     * overrides a fifth of them, so the deployment resolves {@code WIDE_KEYS} keys from five
     * sources and the project's list has {@code WIDE_KEYS} rows.
     */
    private void wide() throws Exception {
        String project = "wide-" + BenchHttp.randomSuffix();
        BenchProject.create(http, admin, project, 0);
        Map<String, String> all = new LinkedHashMap<>();
        for (int i = 0; i < WIDE_KEYS; i++) {
            all.put("KEY_" + i, BenchHttp.randomValue());
        }
        http.call("POST", "/v1/projects/" + project + "/import", admin, all);
        for (int s = 1; s < 5; s++) {
            Map<String, String> overrides = new LinkedHashMap<>();
            for (int i = s; i < WIDE_KEYS; i += 5) {
                overrides.put("KEY_" + i, BenchHttp.randomValue());
            }
            http.call("POST", "/v1/projects/" + project + BenchProject.SCOPES.get(s) + "/import", admin, overrides);
        }
        String resolvedPath = "/v1/projects/" + project + BenchProject.DEPLOYMENT + "/resolved";
        int resolvedKeys = BenchHttp.JSON
                .readTree(http.call("GET", resolvedPath, admin, null))
                .path("keys")
                .size();
        if (resolvedKeys != WIDE_KEYS) {
            throw new IllegalStateException("expected " + WIDE_KEYS + " resolved keys, got " + resolvedKeys);
        }
        List<String> entryPaths = BenchProject.entryPaths(project);
        List<String> kvPaths = http.kvPaths(entryPaths);
        String listPath = "/v1/projects/" + project + "/secrets";
        ExecutorService pool = Executors.newFixedThreadPool(5);
        Sampled resolved;
        Sampled list;
        try {
            Runnable resolvedBase = () -> {
                readAll(pool, kvPaths);
                select(Queries.SECRETS_AT_PATHS, entryPaths);
            };
            Runnable listBase = () -> {
                http.vault("GET", kvPaths.get(0), null);
                select(Queries.SECRETS_OF_SCOPE, List.of(project));
            };
            Runnable resolvedCall = () -> http.call("GET", resolvedPath, admin, null);
            Runnable listCall = () -> http.call("GET", listPath, admin, null);
            int warmedUp = BenchHttp.warmUp(
                    () -> {
                        resolvedCall.run();
                        resolvedBase.run();
                        listCall.run();
                        listBase.run();
                    },
                    Math.min(WARMUP, 20),
                    Math.min(WARMUP_MAX, 100));
            resolved = Sampled.of(BenchHttp.alternately(WIDE_SAMPLES, resolvedCall, resolvedBase), warmedUp);
            list = Sampled.of(BenchHttp.alternately(WIDE_SAMPLES, listCall, listBase), warmedUp);
        } finally {
            pool.shutdown();
        }
        System.out.println();
        System.out.println("== Metadata views at " + WIDE_KEYS + " keys (" + WIDE_SAMPLES
                + " samples, alternating with the baseline: the scope entries read straight from Vault"
                + " + the equivalent SELECT)");
        System.out.printf(
                Locale.ROOT,
                "%-44s | %8s %8s | %9s %9s | %9s %9s%n",
                "view",
                "gw p50",
                "gw p99",
                "base p50",
                "base p99",
                "p50/base",
                "p99/base");
        printAgainst("GET .../resolved (5 entries + keys at 5 paths)", resolved);
        printAgainst("GET {project}/secrets (1 entry + keys of it)", list);
    }

    private void readAll(ExecutorService pool, List<String> kvPaths) {
        kvPaths.stream()
                .map(path -> pool.submit(() -> http.vault("GET", path, null)))
                .toList()
                .forEach(f -> {
                    try {
                        f.get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /** The statements a plain client of the gateway's tables would send for the same views. */
    private static final class Queries {
        static final String SECRETS_AT_PATHS = "SELECT s.key_name, s.version, s.updated_at, e.entry_path "
                + "FROM secret s JOIN scope_entry e ON e.id = s.scope_entry_id "
                + "WHERE e.entry_path IN (?, ?, ?, ?, ?) AND s.deleted = FALSE";
        static final String SECRETS_OF_SCOPE = "SELECT s.key_name, s.version, s.created_at, s.updated_at, "
                + "s.updated_by, s.last_accessed_at FROM secret s JOIN scope_entry e ON e.id = s.scope_entry_id "
                + "WHERE e.entry_path = ? AND s.deleted = FALSE ORDER BY s.key_name";
    }

    private int select(String query, List<String> parameters) {
        try (PreparedStatement statement = sql.prepareStatement(query)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i));
            }
            int rows = 0;
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    result.getString(1);
                    rows++;
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- restart: a project-level change to 100, 1,000, 10,000 deployments -----------------------

    private void restart() throws Exception {
        List<RestartCurve.Row> rows = new ArrayList<>();
        try (RestartCurve curve = new RestartCurve(http, new BulkLoad(sql), admin)) {
            for (int size : RESTART_SIZES) {
                rows.add(curve.measure(size, RESTART_ROUNDS));
            }
        }
        System.out.println();
        System.out.println("== Restart delivery: one project-level change to every deployment (medians of "
                + RESTART_ROUNDS + " rounds, concurrency " + RestartCurve.CONCURRENCY
                + "; catalog rows by bulk SQL); baseline: a bare signed HttpClient loop + one poll ("
                + RestartCurve.POLL.toMillis() + " ms)");
        System.out.printf(
                Locale.ROOT,
                "%11s | %10s | %13s | %10s | %8s | %8s | %s%n",
                "deployments",
                "API answer",
                "last delivery",
                "baseline",
                "ratio",
                "set-up s",
                "rounds (answer -> last delivery)");
        for (RestartCurve.Row row : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "%11d | %10.1f | %13.1f | %10.1f | %7.2fx | %8.1f | %s%n",
                    row.deployments(),
                    BenchHttp.ms(row.answer()),
                    BenchHttp.ms(row.lastDelivery()),
                    BenchHttp.ms(row.baseline()),
                    row.lastDelivery() / (double) row.baseline(),
                    row.setupNanos() / 1e9,
                    row.rounds().stream()
                            .map(r -> String.format(Locale.ROOT, "%.0f", BenchHttp.ms(r)))
                            .toList());
        }
    }

    // --- load: a fetch and a write on a database of production size ------------------------------

    /** The same fetch and write measured on the empty database, then after the bulk load. */
    private final class Load {
        private final BenchProject project;
        private Sampled fetchEmpty;
        private Sampled writeEmpty;
        private int writes;

        Load() throws Exception {
            project = BenchProject.create(http, admin, "load-" + BenchHttp.randomSuffix(), 100);
        }

        void before() {
            fetchEmpty = fetchAgainstFloor(project);
            writeEmpty = writes();
        }

        void after() throws Exception {
            long started = System.nanoTime();
            new BulkLoad(sql).secretsAndAudit(LOAD_SECRETS, LOAD_AUDIT, new BulkLoad(sql).projectId(project.name()));
            double loadSeconds = (System.nanoTime() - started) / 1e9;
            StatementRecorder.start();
            Sampled fetchLoaded = fetchAgainstFloor(project);
            Sampled writeLoaded = writes();
            Map<String, StatementRecorder.Recorded> statements = StatementRecorder.stop();

            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "== A boot fetch (100 keys) and a single-key write with %,d audit rows and %,d secrets "
                            + "(bulk-loaded in %.0f s) vs the same before the load (fetch: %d samples beside the "
                            + "floor; write: %d PUTs at the deployment's scope)%n",
                    count("audit_log"),
                    count("secret"),
                    loadSeconds,
                    SAMPLES,
                    WRITE_SAMPLES);
            System.out.printf(
                    Locale.ROOT,
                    "%-26s | %8s %8s | %10s %10s | %9s %9s | %9s%n",
                    "",
                    "p50",
                    "p99",
                    "empty p50",
                    "empty p99",
                    "p50/empty",
                    "p99/empty",
                    "p50/floor");
            printLoaded("boot fetch (GET /v1/env)", fetchLoaded, fetchEmpty, true);
            printLoaded("write (PUT .../secrets/K)", writeLoaded, writeEmpty, false);
            explain(statements);
        }

        private Sampled writes() {
            String path = "/v1/projects/" + project.name() + BenchProject.DEPLOYMENT + "/secrets/WRITTEN";
            long[] times = new long[WRITE_SAMPLES];
            for (int i = 0; i < WRITE_WARMUP; i++) {
                http.call("PUT", path, admin, Map.of("value", "warm-" + writes++));
            }
            for (int i = 0; i < WRITE_SAMPLES; i++) {
                Map<String, String> body = Map.of("value", "v-" + writes++);
                long t = System.nanoTime();
                http.call("PUT", path, admin, body);
                times[i] = System.nanoTime() - t;
            }
            return Sampled.of(new long[][] {times, times}, WRITE_WARMUP);
        }

        private void printLoaded(String what, Sampled loaded, Sampled empty, boolean floor) {
            System.out.printf(
                    Locale.ROOT,
                    "%-26s | %8.2f %8.2f | %10.2f %10.2f | %8.2fx %8.2fx | %9s%n",
                    what,
                    loaded.p50(),
                    loaded.p99(),
                    empty.p50(),
                    empty.p99(),
                    loaded.p50() / empty.p50(),
                    loaded.p99() / empty.p99(),
                    floor ? String.format(Locale.ROOT, "%.2fx", loaded.p50() / loaded.baseP50()) : "-");
        }
    }

    private long count(String table) throws SQLException {
        try (Statement statement = sql.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * EXPLAIN of each statement shape recorded, with the threads that sent it (a request's, or
     * the gateway's background work that ran meanwhile); a full scan ({@code type ALL}) of a table
     * of {@value #BIG_TABLE_ROWS} rows or more is flagged.
     */
    private void explain(Map<String, StatementRecorder.Recorded> statements) throws SQLException {
        Set<String> skipped = Set.of("SET", "SHOW", "COMMIT", "ROLLBACK", "START", "BEGIN", "/*");
        Map<String, StatementRecorder.Recorded> sorted = new TreeMap<>(statements);
        List<String> flagged = new ArrayList<>();
        System.out.println();
        System.out.println("== EXPLAIN of every statement the loaded fetch and write ran (" + sorted.size()
                + " shapes; literals shown as ?, lists as (...))");
        for (Map.Entry<String, StatementRecorder.Recorded> statement : sorted.entrySet()) {
            String shape = statement.getKey();
            String verb = shape.split("[\\s(]", 2)[0].toUpperCase(Locale.ROOT);
            if (skipped.stream().anyMatch(verb::startsWith) || shape.startsWith("SELECT @@")) {
                continue;
            }
            System.out.println();
            System.out.println("[" + statement.getValue().threads() + "] " + shape);
            try (Statement explain = sql.createStatement();
                    ResultSet plan = explain.executeQuery(
                            "EXPLAIN " + statement.getValue().example())) {
                ResultSetMetaData columns = plan.getMetaData();
                while (plan.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int c = 1; c <= columns.getColumnCount(); c++) {
                        row.put(columns.getColumnLabel(c), plan.getString(c));
                    }
                    long rows = row.get("rows") == null ? 0 : Long.parseLong(row.get("rows"));
                    String extra = row.get("Extra") == null ? "" : row.get("Extra");
                    // "Range checked for each record": the index is chosen per row of the tables before it.
                    boolean rangeChecked = extra.startsWith("Range checked for each record");
                    boolean fullScan = "ALL".equals(row.get("type")) && rows >= BIG_TABLE_ROWS && !rangeChecked;
                    System.out.printf(
                            Locale.ROOT,
                            "    %-12s %-14s type=%-7s key=%-30s rows=%-8s %s%s%n",
                            row.get("select_type"),
                            row.get("table"),
                            row.get("type"),
                            row.get("key"),
                            row.get("rows"),
                            extra,
                            fullScan ? "   <-- FULL SCAN" : rangeChecked ? "   <-- no index until run time" : "");
                    if (fullScan) {
                        flagged.add(row.get("table") + ": " + shape);
                    }
                }
            } catch (SQLException e) {
                System.out.println("    (no plan: " + e.getMessage() + ")");
            }
        }
        System.out.println();
        System.out.println(
                flagged.isEmpty()
                        ? "No full scan of a table of " + BIG_TABLE_ROWS + "+ rows."
                        : "FULL SCANS of tables of " + BIG_TABLE_ROWS + "+ rows:\n  " + String.join("\n  ", flagged));
    }

    // --- shared -----------------------------------------------------------------------------------

    /** Percentiles of a measured operation and of its baseline, in ms. */
    private record Sampled(double p50, double p99, double baseP50, double baseP99, int warmedUp) {
        static Sampled of(long[][] times, int warmedUp) {
            return new Sampled(
                    BenchHttp.ms(BenchHttp.percentile(times[0], 50)),
                    BenchHttp.ms(BenchHttp.percentile(times[0], 99)),
                    BenchHttp.ms(BenchHttp.percentile(times[1], 50)),
                    BenchHttp.ms(BenchHttp.percentile(times[1], 99)),
                    warmedUp);
        }
    }

    private static void printAgainst(String what, Sampled sampled) {
        System.out.printf(
                Locale.ROOT,
                "%-44s | %8.2f %8.2f | %9.2f %9.2f | %8.2fx %8.2fx%n",
                what,
                sampled.p50(),
                sampled.p99(),
                sampled.baseP50(),
                sampled.baseP99(),
                sampled.p50() / sampled.baseP50(),
                sampled.p99() / sampled.baseP99());
    }

    private static List<Integer> sizes(String property, String defaults) {
        return Arrays.stream(System.getProperty(property, defaults).split(","))
                .map(String::trim)
                .map(Integer::valueOf)
                .toList();
    }
}
