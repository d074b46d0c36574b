package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.delivery.StatementLog;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Imports of 1,000 and 5,000 keys, as JSON and as a dotenv file, on a stock OpenBao listener
 * ({@code bao server -dev} defaults): each is one change-set, all or nothing, and every value it
 * wrote is served back. The documented limits hold at their edges: a scope at the byte limit with
 * the largest values is written whole, one byte more is refused with 413 before Vault is written.
 * Real gateway, OpenBao and MariaDB.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeImportsIT extends GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> AS_DOTENV = Map.of("Content-Type", "text/plain; charset=utf-8");
    private static final String PROJECT = "/v1/projects/imp";
    private static final String DEPLOYMENT = PROJECT + "/environments/prod/services/api";
    private static final int VALUE_BYTES = 65_536;
    private static final int SCOPE_BYTES = 1_048_576;

    private ApiClient api;
    private EnvClient env;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "datasources.default.url", stack().jdbcUrl() + "&queryInterceptors=" + StatementLog.class.getName());
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        env = new EnvClient(URI.create(server.getURL().toString()));
        ok(api.put(PROJECT, null));
        ok(api.put(PROJECT + "/environments/prod", json("type", "production")));
        ok(api.put(PROJECT + "/services/api", null));
        ok(api.put(DEPLOYMENT, null));
        ok(api.put("/v1/projects/edge", null));
        ok(api.put("/v1/projects/full", null));
    }

    @Test
    void thousandAndFiveThousandKeyImportsAsJsonAndDotenvAreEachOneChangeSetAndEveryValueIsServed() throws Exception {
        Map<String, String> expected = new HashMap<>();
        expected.putAll(importedWhole(PROJECT + "/services/api", "SVC_", 1_000, false));
        expected.putAll(importedWhole(PROJECT + "/environments/prod", "ENV_", 1_000, true));
        expected.putAll(importedWhole(DEPLOYMENT, "DEP_", 5_000, false));
        expected.putAll(importedWhole(PROJECT, "PRJ_", 5_000, true));

        EnvClient.Fetch boot = env.fetch(mint(), "?format=json", Map.of());
        assertThat(boot.status()).as(boot.toString()).isEqualTo(200);
        JsonNode served = JSON.readTree(boot.body());
        Map<String, String> servedValues = new HashMap<>();
        served.properties()
                .forEach(field ->
                        servedValues.put(field.getKey(), field.getValue().asText()));
        assertThat(servedValues).containsAllEntriesOf(expected);
    }

    @Test
    void aThousandKeyImportInsertsItsKeyAndHistoryRowsInAFewStatementsNotOnePerKey() throws Exception {
        ok(api.put("/v1/projects/rows", null));
        StatementLog.ENTRIES.clear();

        Answer created = api.post("/v1/projects/rows/import", jsonKeys("ROW_", 1_000));
        Answer updated = api.post("/v1/projects/rows/import", jsonKeys("ROW_", 1_000, "w"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(updated.status()).as(updated.toString()).isEqualTo(201);
        assertThat(updated.json().path("updated")).hasSize(1_000);
        for (String table : new String[] {"change_set_key", "secret", "secret_version"}) {
            assertThat(StatementLog.ENTRIES.stream()
                            .map(StatementLog.Entry::sql)
                            .filter(sql -> sql.matches("(?is)\\s*INSERT\\s+INTO\\s+`?" + table + "`?\\s.*"))
                            .count())
                    .as("statements inserting into %s for two imports of 1,000 keys", table)
                    .isLessThan(10);
        }
        assertThat(count("SELECT COUNT(*) FROM secret_version v JOIN secret s ON s.id = v.secret_id"
                        + " JOIN scope_entry e ON e.id = s.scope_entry_id WHERE e.entry_path = 'rows'"))
                .isEqualTo(2_000);
        assertThat(count("SELECT COUNT(*) FROM secret s JOIN change_set c ON c.new_vault_version = s.vault_version"
                        + " AND c.scope_entry_id = s.scope_entry_id"
                        + " WHERE s.updated_at = c.completed_at AND s.version = 2"))
                .as("rows written on the transaction's clock, as the change-set's")
                .isEqualTo(1_000);
    }

    @Test
    void aThousandKeyImportWritesEachKeysHistoryRowWithItsVersionsActorAndTimeAndNoOtherKeys() throws Exception {
        ok(api.put("/v1/projects/hist", null));
        ok(api.put("/v1/projects/hist/secrets/OTHER", json("value", "kept")));

        Answer fresh = api.post("/v1/projects/hist/environment-types/production/import", jsonKeys("H_", 1_000));
        Answer beside = api.post("/v1/projects/hist/import", jsonKeys("P_", 1_000));

        assertThat(fresh.status()).as(fresh.toString()).isEqualTo(201);
        assertThat(beside.status()).as(beside.toString()).isEqualTo(201);
        for (Answer imported : new Answer[] {fresh, beside}) {
            String changeSet = imported.json().path("changeSetId").asText();
            assertThat(count("SELECT COUNT(*) FROM secret_version WHERE change_set_id = '" + changeSet + "'"))
                    .isEqualTo(1_000);
            assertThat(
                            count(
                                    "SELECT COUNT(*) FROM secret_version v JOIN secret s ON s.id = v.secret_id"
                                            + " JOIN change_set c ON c.id = v.change_set_id"
                                            + " WHERE v.change_set_id = '" + changeSet
                                            + "' AND s.scope_entry_id = c.scope_entry_id"
                                            + " AND v.version = 1 AND s.version = 1 AND v.vault_version = s.vault_version"
                                            + " AND v.vault_version = c.new_vault_version AND NOT v.deleted AND NOT s.deleted"
                                            + " AND v.actor = c.actor AND v.created_at = s.updated_at AND v.created_at = c.completed_at"))
                    .as("each key's history row: its version, Vault version, actor and the commit's time")
                    .isEqualTo(1_000);
        }
        assertThat(count("SELECT COUNT(*) FROM secret_version v JOIN secret s ON s.id = v.secret_id"
                        + " WHERE s.key_name = 'OTHER'"))
                .as("a key the import did not name keeps its one history row")
                .isEqualTo(1);
    }

    @Test
    void aReImportMarksItsUnchangedKeysByNameWithoutReadingItsIntentBack() throws Exception {
        ok(api.put("/v1/projects/same", null));
        ok(api.post("/v1/projects/same/import", jsonKeys("SAME_", 1_000)));
        Map<String, Object> halfNew = jsonKeys("SAME_", 1_000);
        for (int i = 0; i < 1_000; i += 2) {
            halfNew.put("SAME_" + i, "new" + i);
        }
        StatementLog.ENTRIES.clear();

        Answer again = api.post("/v1/projects/same/import", halfNew);

        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.json().path("updated")).hasSize(500);
        assertThat(again.json().path("unchanged")).hasSize(500);
        assertThat(StatementLog.ENTRIES.stream()
                        .map(StatementLog.Entry::sql)
                        .filter(sql -> sql.matches("(?is)\\s*SELECT\\s.*\\bFROM\\s+`?change_set_key`?\\s.*")))
                .as("the writer commits from the keys it recorded, not from its rows read back")
                .isEmpty();
        String changeSet = again.json().path("changeSetId").asText();
        assertThat(count("SELECT COUNT(*) FROM change_set_key WHERE change_set_id = '" + changeSet
                        + "' AND operation = 'unchanged' AND CAST(SUBSTRING(key_name, 6) AS UNSIGNED) % 2 = 1"))
                .as("exactly the keys set to the value they had are marked unchanged")
                .isEqualTo(500);
        assertThat(count("SELECT COUNT(*) FROM change_set_key WHERE change_set_id = '" + changeSet
                        + "' AND operation = 'update' AND CAST(SUBSTRING(key_name, 6) AS UNSIGNED) % 2 = 0"))
                .isEqualTo(500);
        assertThat(count("SELECT COUNT(*) FROM secret_version WHERE change_set_id = '" + changeSet + "'"))
                .as("history only for the keys whose value changed")
                .isEqualTo(500);
        assertThat(count("SELECT COUNT(*) FROM secret s JOIN scope_entry e ON e.id = s.scope_entry_id"
                        + " WHERE e.entry_path = 'same' AND s.version = 2"
                        + " AND CAST(SUBSTRING(s.key_name, 6) AS UNSIGNED) % 2 = 0"))
                .isEqualTo(500);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE change_set_id = '" + changeSet + "'"
                        + " AND outcome = 'succeeded' AND unchanged_keys LIKE '%SAME_999%'"
                        + " AND unchanged_keys NOT LIKE '%SAME_998%'"))
                .as("the audit row names the unchanged keys")
                .isEqualTo(1);
    }

    @Test
    void anImportThatWouldTakeAScopePastItsKeyLimitIsRefusedWholeAndWritesNoValue() throws Exception {
        ok(api.put("/v1/projects/full/secrets/ALREADY_HERE", json("value", "kept")));
        int version = currentVersion("full");
        long changeSets = count("SELECT COUNT(*) FROM change_set WHERE status = 'committed'");

        Answer refused = api.post("/v1/projects/full/import", jsonKeys("NEW_", 5_000));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
        assertThat(refused.code()).isEqualTo("scope-too-large");
        assertThat(refused.body()).contains("5001 keys");
        assertThat(currentVersion("full")).as("no step of it reached Vault").isEqualTo(version);
        assertThat(count("SELECT COUNT(*) FROM change_set WHERE status = 'committed'"))
                .isEqualTo(changeSets);
        assertThat(api.get("/v1/projects/full/secrets").json().path("secrets")).hasSize(1);
    }

    @Test
    void aScopeAtTheByteLimitWithTheLargestValuesIsImportedWholeAndOneByteMoreIsRefused() throws Exception {
        Map<String, Object> atLimit = largestValues(SCOPE_BYTES);
        Map<String, Object> pastLimit = largestValues(SCOPE_BYTES + 1);

        Answer refused = api.post("/v1/projects/edge/import", pastLimit);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
        assertThat(refused.code()).isEqualTo("scope-too-large");
        assertThat(vaultEntry("edge")).as("refused before any Vault call").isNull();

        Answer imported = api.post("/v1/projects/edge/import", atLimit);
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        JsonNode entry = vaultEntry("edge").path("data");
        atLimit.forEach(
                (key, value) -> assertThat(entry.path(key).asText()).as(key).isEqualTo(value));

        int version = currentVersion("edge");
        Answer oneMore = api.put("/v1/projects/edge/secrets/A", json("value", "x"));
        assertThat(oneMore.status()).as(oneMore.toString()).isEqualTo(413);
        assertThat(oneMore.code()).isEqualTo("scope-too-large");
        assertThat(currentVersion("edge")).isEqualTo(version);
    }

    @Test
    void aScopeAtTheByteLimitOfValuesVaultMustEscapeSixfoldIsWrittenWhole() throws Exception {
        // Control characters travel as \\u0001 in JSON: 1 MiB of them is a 6 MiB body to Vault.
        String escaped = "\u0001".repeat(VALUE_BYTES);
        int full = SCOPE_BYTES / (VALUE_BYTES + 3);
        Map<String, String> written = new LinkedHashMap<>();
        ok(api.put("/v1/projects/full/environments/prod", json("type", "production")));
        for (int i = 0; i < full; i++) {
            String key = "C" + (i < 10 ? "0" : "") + i;
            written.put(key, escaped);
        }
        String rest = "\u0001".repeat(SCOPE_BYTES - full * (VALUE_BYTES + 3) - 3);
        written.put("CZZ", rest);
        for (Map.Entry<String, String> key : written.entrySet()) {
            ok(api.put("/v1/projects/full/environments/prod/secrets/" + key.getKey(), json("value", key.getValue())));
        }

        JsonNode entry = vaultEntry("full/env/prod").path("data");
        written.forEach(
                (key, value) -> assertThat(entry.path(key).asText()).as(key).isEqualTo(value));
    }

    /** Imports {@code count} keys into an empty scope and checks it is one change-set, listed whole. */
    private Map<String, String> importedWhole(String scope, String prefix, int count, boolean dotenv) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            values.put(prefix + i, "value " + i + " of " + prefix + " # $HOME é");
        }
        Answer imported = dotenv
                ? api.send("POST", scope + "/import", dotenvOf(values), AS_DOTENV)
                : api.post(scope + "/import", values);

        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        String changeSet = imported.json().path("changeSetId").asText();
        assertThat(imported.json().path("created")).hasSize(count);
        assertThat(count("SELECT COUNT(*) FROM change_set WHERE id = '" + changeSet + "' AND status = 'committed'"))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM change_set_key WHERE change_set_id = '" + changeSet + "'"))
                .isEqualTo(count);
        assertThat(count("SELECT COUNT(*) FROM secret_version WHERE change_set_id = '" + changeSet + "'"))
                .isEqualTo(count);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE change_set_id = '" + changeSet + "'"))
                .as("one audit row for the whole import")
                .isEqualTo(1);
        JsonNode listed = api.get(scope + "/secrets").json().path("secrets");
        assertThat(listed).hasSize(count);
        listed.forEach(secret -> assertThat(secret.path("version").asInt()).isEqualTo(1));
        return values;
    }

    private static String dotenvOf(Map<String, String> values) {
        StringBuilder file = new StringBuilder("# imported by LargeImportsIT\n");
        values.forEach(
                (key, value) -> file.append(key).append("='").append(value).append("'\n"));
        return file.toString();
    }

    private static Map<String, Object> jsonKeys(String prefix, int count) {
        return jsonKeys(prefix, count, "v");
    }

    private static Map<String, Object> jsonKeys(String prefix, int count, String valuePrefix) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            body.put(prefix + i, valuePrefix + i);
        }
        return body;
    }

    /**
     * Values of the largest size (64 KiB of UTF-8, in two-byte characters) whose names and values
     * make {@code bytes} in all.
     */
    private static Map<String, Object> largestValues(int bytes) {
        Map<String, Object> body = new LinkedHashMap<>();
        int left = bytes;
        for (int i = 0; left > 0; i++) {
            String key = "L" + (i < 10 ? "0" : "") + i;
            int valueBytes = Math.min(VALUE_BYTES, left - key.length());
            StringBuilder value = new StringBuilder("é".repeat(valueBytes / 2));
            if (valueBytes % 2 == 1) {
                value.append('x');
            }
            body.put(key, value.toString());
            left -= key.length() + valueBytes;
        }
        return body;
    }

    private String mint() {
        Answer minted = api.post(DEPLOYMENT + "/tokens", Map.of());
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private int currentVersion(String entryPath) {
        JsonNode entry = vaultEntry(entryPath);
        return entry == null ? 0 : entry.path("metadata").path("version").asInt();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
