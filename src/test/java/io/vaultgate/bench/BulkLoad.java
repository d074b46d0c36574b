package io.vaultgate.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Fills the gateway's own tables fast with plain SQL, for the benchmarks that need a database of
 * production size: multi-row INSERTs for a numbers table, then {@code INSERT ... SELECT} over it,
 * in chunks so no transaction holds millions of undo records. Rows only the benchmark reads;
 * nothing here goes through the gateway's rules (no Vault entry, no identity binding).
 */
final class BulkLoad {

    private static final int CHUNK = 100_000;

    private final Connection connection;

    BulkLoad(Connection connection) {
        this.connection = connection;
    }

    /**
     * A filler project with {@code secrets} live secrets, 100 to a service scope entry, and
     * {@code auditRows} audit rows spread over the filler project and {@code auditProjectId}.
     */
    void secretsAndAudit(int secrets, int auditRows, long auditProjectId) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            numbers(statement, Math.max(secrets, auditRows));
            long filler = insertProject(statement, "bulk-filler-" + BenchHttp.randomSuffix());
            int entries = (secrets + 99) / 100;
            statement.executeUpdate("INSERT INTO scope_entry (project_id, entry_path, scope_kind, vault_version) "
                    + "SELECT " + filler + ", CONCAT('bulk-filler-" + filler + "/svc/s-', n), 'service', 1 "
                    + "FROM bench_number WHERE n < " + entries);
            long firstEntry = single(statement, "SELECT MIN(id) FROM scope_entry WHERE project_id = " + filler);
            for (int from = 0; from < secrets; from += CHUNK) {
                statement.executeUpdate("INSERT INTO secret (scope_entry_id, key_name, version, vault_version, "
                        + "deleted, created_at, created_by, updated_at, updated_by) "
                        + "SELECT " + firstEntry + " + n DIV 100, CONCAT('KEY_', n MOD 100), 1, 1, FALSE, "
                        + "NOW(), 'bench', NOW(), 'bench' FROM bench_number "
                        + "WHERE n >= " + from + " AND n < " + Math.min(secrets, from + CHUNK));
            }
            for (int from = 0; from < auditRows; from += CHUNK) {
                statement.executeUpdate("INSERT INTO audit_log (project_id, recorded_at, actor, action, scope, "
                        + "key_names, change_set_id, outcome, request_id) "
                        + "SELECT CASE n MOD 2 WHEN 0 THEN " + filler + " ELSE " + auditProjectId + " END, "
                        + "NOW() - INTERVAL (n MOD 86400) SECOND, 'bench', 'secret.set', '/v1/projects/bulk', "
                        + "'[\"KEY_1\"]', CONCAT('bulk-', n), 'succeeded', CONCAT('req-', n) FROM bench_number "
                        + "WHERE n >= " + from + " AND n < " + Math.min(auditRows, from + CHUNK));
            }
            statement.execute("DROP TABLE bench_number");
            statement.execute("ANALYZE TABLE secret, scope_entry, audit_log");
        }
    }

    /**
     * Environments and services in a project made through the API, and a deployment of every
     * service in every environment: {@code environments} × {@code services} deployments.
     */
    void deployments(long projectId, int environments, int services) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(values(
                    "INSERT INTO environment (project_id, slug, type, created_at, updated_at) VALUES ",
                    environments,
                    i -> "(" + projectId + ", 'env-" + i + "', '" + (i == 0 ? "production" : "staging")
                            + "', NOW(), NOW())"));
            statement.executeUpdate(values(
                    "INSERT INTO service (project_id, slug, created_at) VALUES ",
                    services,
                    i -> "(" + projectId + ", 'svc-" + i + "', NOW())"));
            statement.executeUpdate("INSERT INTO deployment (project_id, environment_id, service_id, created_at) "
                    + "SELECT " + projectId + ", e.id, s.id, NOW() FROM environment e JOIN service s "
                    + "ON s.project_id = e.project_id WHERE e.project_id = " + projectId);
        }
    }

    long projectId(String slug) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM project WHERE slug = ?")) {
            statement.setString(1, slug);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("no project " + slug);
                }
                return rows.getLong(1);
            }
        }
    }

    /** {@code bench_number}: 0 to {@code count - 1}, by doubling from a multi-row INSERT of 1,000. */
    private static void numbers(Statement statement, int count) throws SQLException {
        statement.execute("DROP TABLE IF EXISTS bench_number");
        statement.execute("CREATE TABLE bench_number (n INT NOT NULL PRIMARY KEY)");
        statement.executeUpdate(values("INSERT INTO bench_number (n) VALUES ", 1000, i -> "(" + i + ")"));
        for (long have = 1000; have < count; have *= 2) {
            statement.executeUpdate("INSERT INTO bench_number (n) SELECT n + " + have + " FROM bench_number");
        }
    }

    private static long insertProject(Statement statement, String slug) throws SQLException {
        statement.executeUpdate(
                "INSERT INTO project (slug, created_at, created_by) VALUES ('" + slug + "', NOW(), 'bench')");
        return single(statement, "SELECT id FROM project WHERE slug = '" + slug + "'");
    }

    private static long single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String values(String insert, int count, java.util.function.IntFunction<String> row) {
        StringJoiner joined = new StringJoiner(", ", insert, "");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row.apply(i));
        }
        rows.forEach(joined::add);
        return joined.toString();
    }
}
