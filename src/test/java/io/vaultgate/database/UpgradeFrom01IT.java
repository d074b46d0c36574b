package io.vaultgate.database;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.testing.RealParts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A database 0.1 left behind takes this release as docs/upgrading.md says: every 0.1 replica
 * stopped, then the new release started on it. The database is built as 0.1 built it (0.1's
 * migrations, V3 and V4 as 0.1 shipped them, from {@code src/test/resources/upgrade-from-0.1}) and
 * holds rows as 0.1 wrote them: states by Java enum name, and a write 0.1 crashed in the middle of
 * (Vault has it, MySQL still says PENDING, long past the reconciler's stale threshold). The gateway
 * then starts as every other IT starts it, so micronaut-flyway configures Flyway as in production,
 * with application.yml's settings and the callbacks of {@link FlywayCallbacks}.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradeFrom01IT extends GatewayTest {

    private static final String COMMITTED = "0a1c0000-0000-4000-8000-000000000001";
    private static final String ABORTED = "0a1c0000-0000-4000-8000-000000000002";
    private static final String CRASHED = "0a1c0000-0000-4000-8000-000000000003";
    private static final String OLD_SCOPE = "acme/env/staging/svc/api";
    private static final String OLD_SCOPE_API = "/v1/projects/acme/environments/staging/services/api";

    private ApiClient api;
    private Map<String, String> tablesAs01Left;

    @Override
    protected Map<String, String> extraProperties() {
        migrateAs01();
        writeAs01();
        tablesAs01Left = tableCreationTimes();
        pause(Duration.ofMillis(1100)); // creation times count whole seconds: a table rebuilt now would show
        return Map.of("vaultgate.reconciler.interval", "500ms");
    }

    @BeforeAll
    void client() {
        api = admin();
    }

    @Test
    void theHistoryValidatesAgainstThisReleasesMigrationsWithoutAnyCallback() throws SQLException {
        Flyway plain = Flyway.configure()
                .dataSource(stack().jdbcUrl(), stack().jdbcUser(), stack().jdbcPassword())
                .locations("classpath:db/migration")
                .load();

        plain.validate();
        assertThat(plain.info().pending()).as("migrations left to apply").isEmpty();
        for (var moved : MigrationHistory.MOVED_DEV_TABLES.entrySet()) {
            assertThat(count("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '" + moved.getKey()
                            + "' AND checksum = " + moved.getValue()[1]))
                    .as("V" + moved.getKey() + " recorded as today's file")
                    .isEqualTo(1);
        }
    }

    /**
     * V12 re-spells rows and alters no table: no DDL to commit half of it, or to lock a table writers
     * need. Only V13's two added indexes (online in InnoDB) and V16's two added nullable columns
     * (instant) touch a table 0.1 made.
     */
    @Test
    void theUpgradeRewritesRowsAndRebuildsNoTableButForV13sIndexes() {
        Map<String, String> untouched = new LinkedHashMap<>(tablesAs01Left);
        Map<String, String> now = new LinkedHashMap<>(tableCreationTimes());
        for (String indexed : List.of("webhook_delivery", "scope_entry")) {
            untouched.remove(indexed);
            now.remove(indexed);
        }
        // V16 adds one nullable column at the end of each: an instant ADD COLUMN (MariaDB 10.3+,
        // MySQL 8), which copies no row and locks no writer out, but gives the table a new create time.
        for (String widened : List.of("change_set", "change_set_key")) {
            untouched.remove(widened);
            now.remove(widened);
        }
        // New, not rebuilt: the replicas' lock around Flyway, made before Flyway runs.
        assertThat(now.remove(MigrationLock.TABLE)).isNotNull();
        // Tables later migrations create (V14 on) are new too; every table 0.1 made must be as it left it.
        now.keySet().retainAll(untouched.keySet());

        assertThat(now).isEqualTo(untouched);
    }

    @Test
    void everyStateIsStoredAsTheApiSpellsIt() throws SQLException {
        assertThat(text("SELECT status FROM change_set WHERE id = '" + COMMITTED + "'"))
                .isEqualTo("committed");
        assertThat(text("SELECT status FROM change_set WHERE id = '" + ABORTED + "'"))
                .isEqualTo("aborted");
        assertThat(text("SELECT status FROM change_set WHERE id = '" + CRASHED + "'"))
                .isIn("pending", "committed"); // the reconciler may have settled it already
        assertThat(texts("SELECT operation FROM change_set_key WHERE id <= 3 ORDER BY id"))
                .containsExactly("create", "update", "create");
        assertThat(texts("SELECT scope_kind FROM scope_entry WHERE id <= 2 ORDER BY id"))
                .containsExactly("project", "service-in-environment");
    }

    @Test
    void theReconcilerSettlesTheWrite01LeftPendingAndTheOldScopeTakesWrites() throws Exception {
        awaitTrue(() -> "committed".equals(text("SELECT status FROM change_set WHERE id = '" + CRASHED + "'")));

        Answer settled = api.get(OLD_SCOPE_API + "/secrets/DB_URL");
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        assertThat(settled.json().path("version").asInt()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE change_set_id = '" + CRASHED
                        + "' AND outcome = 'completed-by-reconciler'"))
                .isEqualTo(1);

        Answer written = api.put(
                OLD_SCOPE_API + "/secrets/DB_URL", json("value", "postgres://db.after-upgrade", "expectedVersion", 1));
        assertThat(written.status()).as(written.toString()).isEqualTo(200);
        assertThat(written.json().path("version").asInt()).isEqualTo(2);
        assertThat(vaultEntry(OLD_SCOPE).path("data").path("DB_URL").asText()).isEqualTo("postgres://db.after-upgrade");

        Answer projectWide =
                api.put("/v1/projects/acme/secrets/LOG_LEVEL", json("value", "debug", "expectedVersion", 1));
        assertThat(projectWide.status()).as(projectWide.toString()).isEqualTo(200);
        assertThat(projectWide.json().path("version").asInt()).isEqualTo(2);
    }

    /** Why the procedure stops every 0.1 replica first: their rows are refused, not misread. */
    @Test
    void aRowA01ReplicaWritesAfterTheUpgradeIsRefusedNamingItsColumnAndValue() {
        executeAll("INSERT INTO scope_entry (id, project_id, entry_path, scope_kind, vault_version)"
                + " VALUES (3, 1, 'acme/svc/api', 'SERVICE', 0)");
        try (LogCapture logs = new LogCapture()) {
            Answer refused = api.put("/v1/projects/acme/services/api/secrets/TOKEN", json("value", "t-1"));

            assertThat(refused.status()).as(refused.toString()).isEqualTo(500);
            assertThat(refused.code()).isEqualTo("internal-error");
            assertThat(logs.text()).contains("column scope_kind holds 'SERVICE'");
        } finally {
            executeAll("DELETE FROM scope_entry WHERE id = 3");
        }
    }

    @Test
    void devModesTables01MadeInProductionAreLeftForTheOperatorToDrop() throws SQLException {
        assertThat(count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
                        + " AND table_name IN ('local_token', 'local_policy')"))
                .isEqualTo(2);
    }

    /** 0.1's migrations: today's V1 to V11, but V3 and V4 as 0.1 shipped them. */
    private void migrateAs01() {
        try {
            Path migrations = Files.createTempDirectory("vaultgate-0.1-migrations");
            copyTodaysMigrations(migrations);
            for (String file : List.of("V3__identities_tokens_requirements.sql", "V4__bound_identities.sql")) {
                try (InputStream of01 = getClass().getResourceAsStream("/upgrade-from-0.1/" + file)) {
                    Files.copy(of01, migrations.resolve(file));
                }
            }
            Flyway.configure()
                    .dataSource(stack().jdbcUrl(), stack().jdbcUser(), stack().jdbcPassword())
                    .locations("filesystem:" + migrations)
                    .target("11")
                    .load()
                    .migrate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every migration of this release but V3 and V4, from the class path (a folder or the jar). */
    private static void copyTodaysMigrations(Path into) throws IOException {
        try {
            URI location = UpgradeFrom01IT.class.getResource("/db/migration").toURI();
            try (FileSystem jar =
                            "jar".equals(location.getScheme()) ? FileSystems.newFileSystem(location, Map.of()) : null;
                    Stream<Path> files = Files.list(Path.of(location))) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (!name.startsWith("V3__") && !name.startsWith("V4__")) {
                        Files.copy(file, into.resolve(name));
                    }
                }
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Rows as 0.1 wrote them, and the Vault entries they stand for. A project scope with a
     * committed and an aborted change-set, and a service-in-environment scope whose write 0.1
     * sent to Vault and then died before MySQL followed, a day ago.
     */
    private void writeAs01() {
        String dayAgo = "UTC_TIMESTAMP() - INTERVAL 1 DAY"; // stale whatever the time zones
        executeAll(
                "INSERT INTO project (id, slug, created_at, created_by) VALUES (1, 'acme', " + dayAgo + ", 'acc-01')",
                "INSERT INTO environment (id, project_id, slug, type, created_at, updated_at)"
                        + " VALUES (1, 1, 'staging', 'staging', " + dayAgo + ", " + dayAgo + ")",
                "INSERT INTO service (id, project_id, slug, created_at) VALUES (1, 1, 'api', " + dayAgo + ")",
                "INSERT INTO deployment (id, project_id, environment_id, service_id, created_at)"
                        + " VALUES (1, 1, 1, 1, " + dayAgo + ")",
                "INSERT INTO scope_entry (id, project_id, entry_path, scope_kind, vault_version)"
                        + " VALUES (1, 1, 'acme', 'PROJECT', 1)",
                changeSet(COMMITTED, 1, "COMMITTED", 1, dayAgo),
                changeSet(ABORTED, 1, "ABORTED", null, dayAgo),
                "INSERT INTO change_set_key (id, change_set_id, key_name, operation)" + " VALUES (1, '" + COMMITTED
                        + "', 'LOG_LEVEL', 'CREATE')",
                "INSERT INTO change_set_key (id, change_set_id, key_name, operation)" + " VALUES (2, '" + ABORTED
                        + "', 'LOG_LEVEL', 'UPDATE')",
                "INSERT INTO secret (id, scope_entry_id, key_name, version, vault_version, deleted, created_at,"
                        + " created_by, updated_at, updated_by) VALUES (1, 1, 'LOG_LEVEL', 1, 1, FALSE, " + dayAgo
                        + ", 'acc-01', " + dayAgo + ", 'acc-01')",
                "INSERT INTO secret_version (secret_id, version, vault_version, deleted, change_set_id, actor,"
                        + " created_at) VALUES (1, 1, 1, FALSE, '" + COMMITTED + "', 'acc-01', " + dayAgo + ")",
                "INSERT INTO scope_entry (id, project_id, entry_path, scope_kind, vault_version,"
                        + " pending_change_set, pending_since) VALUES (2, 1, '" + OLD_SCOPE
                        + "', 'SERVICE_IN_ENVIRONMENT', 0, '" + CRASHED + "', " + dayAgo + ")",
                changeSet(CRASHED, 2, "PENDING", null, dayAgo),
                "INSERT INTO change_set_key (id, change_set_id, key_name, operation)" + " VALUES (3, '" + CRASHED
                        + "', 'DB_URL', 'CREATE')");
        writeVaultEntry("acme", Map.of("LOG_LEVEL", "info"), COMMITTED);
        writeVaultEntry(OLD_SCOPE, Map.of("DB_URL", "postgres://db.0-1"), CRASHED);
    }

    private static String changeSet(String id, int scopeEntryId, String status, Integer written, String at) {
        return "INSERT INTO change_set (id, project_id, scope_entry_id, action, status, base_vault_version,"
                + " new_vault_version, actor, request_id, created_at, completed_at, restart_mode) VALUES ('" + id
                + "', 1, " + scopeEntryId + ", 'secret.set', '" + status + "', 0, " + written + ", 'acc-01', 'req-"
                + id.substring(id.length() - 1) + "', " + at + ", " + ("PENDING".equals(status) ? "NULL" : at)
                + ", 'events')";
    }

    private void writeVaultEntry(String entryPath, Map<String, String> values, String changeSetId) {
        Map<String, String> data = new LinkedHashMap<>(values);
        data.put("vaultgate:change-set", changeSetId);
        var answer = stack().vault(
                        "POST",
                        stack().kvMount() + "/data/" + stack().pathPrefix() + "/" + entryPath,
                        stack().rootToken(),
                        Map.of("data", data));
        assertThat(answer.ok()).as("Vault wrote %s", entryPath).isTrue();
    }

    private void executeAll(String... statements) {
        try (Connection connection = database();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> tableCreationTimes() {
        Map<String, String> created = new LinkedHashMap<>();
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT table_name, create_time FROM information_schema.tables"
                        + " WHERE table_schema = DATABASE() ORDER BY table_name")) {
            while (rows.next()) {
                created.put(rows.getString(1), rows.getString(2));
            }
            return created;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String text(String sql) {
        List<String> found = texts(sql);
        assertThat(found).as(sql).hasSize(1);
        return found.get(0);
    }

    private List<String> texts(String sql) {
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getString(1));
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition not met in time").isBefore(deadline);
            Thread.sleep(200);
        }
    }
}
