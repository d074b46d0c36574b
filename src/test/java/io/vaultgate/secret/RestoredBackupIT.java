package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import io.vaultgate.testing.VaultHttp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A restore where Vault is newer than MySQL, as {@code cluster.sh backup} makes it (the MySQL dump
 * first, the Raft snapshot after): the restored Vault holds versions of a scope that the restored
 * MySQL never recorded, and MySQL may hold a change-set as pending whose Vault write the snapshot
 * lacks. The restored state is produced on real OpenBao and MariaDB: every table is copied aside
 * as a dump would hold it, writes go on, then the tables are put back while Vault keeps what it
 * has.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoredBackupIT extends GatewayTest {

    private static final String DUMP_PREFIX = "dump_";
    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "vaultgate.reconciler.interval", "500ms",
                "vaultgate.reconciler.stale-after", "2s",
                "vaultgate.reconciler.lock-wait", "2s");
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        for (String project : List.of("later", "pending")) {
            ok(api.put("/v1/projects/" + project, null));
            ok(api.put("/v1/projects/" + project + "/environments/production", json("type", "production")));
            ok(api.put("/v1/projects/" + project + "/services/api", null));
            ok(api.put("/v1/projects/" + project + "/environments/production/services/api", null));
        }
    }

    @Test
    void aWriteAfterARestoreWhoseVaultHoldsVersionsMySqlNeverRecordedSucceeds() throws Exception {
        String secret = "/v1/projects/later/secrets/COUNTER";
        ok(api.put(secret, json("value", "v1")));
        ok(api.put(secret, json("value", "v2")));
        dumpMetadata();
        ok(api.put(secret, json("value", "v3")));
        // A later write that reached Vault but whose change-set no dump holds: another replica's
        // write caught between the dump and the snapshot.
        writeAsLaterSnapshotHoldsIt("later", Map.of("COUNTER", "v4"));
        restoreMetadata();

        assertThat(bootFetch("later").path("COUNTER").asText()).isEqualTo("v2");
        assertThat(api.get(secret).json().path("version").asInt()).isEqualTo(2);

        Answer next = api.put(secret, json("value", "v5", "expectedVersion", 2));

        assertThat(next.status()).as(next.toString()).isEqualTo(200);
        assertThat(next.json().path("version").asInt()).isEqualTo(3);
        assertThat(bootFetch("later").path("COUNTER").asText()).isEqualTo("v5");
        assertThat(vaultEntry("later").path("data").path("COUNTER").asText()).isEqualTo("v5");
        assertThat(api.get(secret + "/versions").json().path("versions").findValuesAsText("version"))
                .containsExactly("3", "2", "1");
    }

    @Test
    void aChangeSetPendingInTheDumpWhoseVaultWriteTheSnapshotLacksIsAbortedAndTheOldValueServed() throws Exception {
        String secret = "/v1/projects/pending/secrets/COUNTER";
        ok(api.put(secret, json("value", "v1")));
        String pending = leavePendingWithoutItsVaultWrite("pending", "COUNTER");
        // Vault holds a version written after the pending one was given up, unknown to the dump.
        writeAsLaterSnapshotHoldsIt("pending", Map.of("COUNTER", "v3"));

        awaitTrue(() -> status(pending).equals("aborted"));
        assertThat(bootFetch("pending").path("COUNTER").asText()).isEqualTo("v1");

        Answer next = api.put(secret, json("value", "v4", "expectedVersion", 1));

        assertThat(next.status()).as(next.toString()).isEqualTo(200);
        assertThat(bootFetch("pending").path("COUNTER").asText()).isEqualTo("v4");
    }

    /** A KV version carrying a change-set id no MySQL row names, written with the root token. */
    private void writeAsLaterSnapshotHoldsIt(String entry, Map<String, String> values) {
        String path = stack().kvMount() + "/data/" + stack().pathPrefix() + "/" + entry;
        int current = vaultEntry(entry).path("metadata").path("version").asInt();
        Map<String, Object> data = new java.util.HashMap<>(values);
        data.put("vaultgate:change-set", UUID.randomUUID().toString());
        VaultHttp.Response written = stack().vault(
                        "POST", path, stack().rootToken(), Map.of("options", Map.of("cas", current), "data", data));
        assertThat(written.ok()).as(written.toString()).isTrue();
    }

    /**
     * A change-set as a dump taken between its intent and its Vault write holds it: pending, its
     * scope's marker set, begun long enough ago to be stale by the time the restore starts.
     */
    private String leavePendingWithoutItsVaultWrite(String project, String key) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection connection = database();
                Statement statement = connection.createStatement()) {
            long entryId;
            long projectId;
            int version;
            try (ResultSet rs = statement.executeQuery("SELECT id, project_id, vault_version FROM scope_entry"
                    + " WHERE entry_path = '" + project + "'")) {
                rs.next();
                entryId = rs.getLong(1);
                projectId = rs.getLong(2);
                version = rs.getInt(3);
            }
            statement.executeUpdate("INSERT INTO change_set (id, project_id, scope_entry_id, action, status,"
                    + " base_vault_version, actor, request_id, created_at, restart_mode) VALUES ('" + id + "', "
                    + projectId + ", " + entryId + ", 'secret.set', 'pending', " + version
                    + ", 'accessor-of-the-writer', 'restored', NOW() - INTERVAL 1 MINUTE, 'events')");
            statement.executeUpdate("INSERT INTO change_set_key (change_set_id, key_name, operation) VALUES ('" + id
                    + "', '" + key + "', 'update')");
            statement.executeUpdate("UPDATE scope_entry SET pending_change_set = '" + id
                    + "', pending_since = NOW() - INTERVAL 1 MINUTE WHERE id = " + entryId);
        }
        return id;
    }

    private String status(String changeSetId) {
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rs =
                        statement.executeQuery("SELECT status FROM change_set WHERE id = '" + changeSetId + "'")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies every table aside, as {@code mariadb-dump --single-transaction} would hold it. */
    private void dumpMetadata() throws SQLException {
        try (Connection connection = database();
                Statement statement = connection.createStatement()) {
            for (String table : tables(connection)) {
                statement.execute("DROP TABLE IF EXISTS `" + DUMP_PREFIX + table + "`");
                statement.execute("CREATE TABLE `" + DUMP_PREFIX + table + "` LIKE `" + table + "`");
                statement.execute("INSERT INTO `" + DUMP_PREFIX + table + "` SELECT * FROM `" + table + "`");
            }
        }
    }

    /** Puts every table back as the copy holds it, as loading the dump into a fresh server would. */
    private void restoreMetadata() throws SQLException {
        try (Connection connection = database();
                Statement statement = connection.createStatement()) {
            statement.execute("SET FOREIGN_KEY_CHECKS = 0");
            for (String table : tables(connection)) {
                statement.execute("DELETE FROM `" + table + "`");
                statement.execute("INSERT INTO `" + table + "` SELECT * FROM `" + DUMP_PREFIX + table + "`");
                statement.execute("DROP TABLE `" + DUMP_PREFIX + table + "`");
            }
            statement.execute("SET FOREIGN_KEY_CHECKS = 1");
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs =
                connection.getMetaData().getTables(connection.getCatalog(), null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (!name.startsWith(DUMP_PREFIX)) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    private com.fasterxml.jackson.databind.JsonNode bootFetch(String project) {
        Answer minted = api.post("/v1/projects/" + project + "/environments/production/services/api/tokens", json());
        assertThat(minted.status()).as(minted.toString()).isEqualTo(201);
        Answer env = api.withToken(minted.json().path("token").asText()).get("/v1/env?format=json");
        assertThat(env.status()).as(env.toString()).isEqualTo(200);
        return env.json();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 299);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition not met in time").isBefore(deadline);
            Thread.sleep(200);
        }
    }
}
