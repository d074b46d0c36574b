package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.audit.Outcome;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.scope.Scope;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The write protocol under races, on real MariaDB and OpenBao: writers that meet in the database,
 * change-sets that several settlers reach at once, and boot fetches of a scope rewritten past
 * Vault's max_versions. The scheduled reconciler is kept out of the way so each race is the
 * test's own.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettlementRacesIT extends GatewayTest {

    private static final int TRIES = 8;
    private ApiClient api;

    @Inject
    Reconciler reconciler;

    @Inject
    ChangeLedger ledger;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "vaultgate.reconciler.interval", "1h",
                "vaultgate.reconciler.stale-after", "1h",
                "vaultgate.rate-limit.writes", "100000");
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        ok(api.put("/v1/projects/race", null));
        ok(api.put("/v1/projects/race/environments/prod", json("type", "production")));
        for (int i = 0; i < TRIES; i++) {
            for (String side : List.of("a", "b")) {
                ok(api.put("/v1/projects/race/services/" + side + i, null));
                ok(api.put("/v1/projects/race/environments/prod/services/" + side + i, null));
            }
        }
        for (String project : List.of("settle", "taken", "pruned")) {
            ok(api.put("/v1/projects/" + project, null));
            ok(api.put("/v1/projects/" + project + "/environments/prod", json("type", "production")));
            ok(api.put("/v1/projects/" + project + "/services/api", null));
            ok(api.put("/v1/projects/" + project + "/environments/prod/services/api", null));
        }
    }

    @Test
    void twoFirstWritesToFreshScopesAtOnceAreBothAcknowledged() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<String> answers = new ArrayList<>();
        try {
            for (int i = 0; i < TRIES; i++) {
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Answer>> both = new ArrayList<>();
                for (String side : List.of("a", "b")) {
                    String path = "/v1/projects/race/services/" + side + i + "/secrets/FIRST";
                    both.add(writers.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return api.put(path, json("value", "v"));
                    }));
                }
                for (Future<Answer> answer : both) {
                    Answer a = answer.get(60, TimeUnit.SECONDS);
                    answers.add(a.status() + " " + (a.status() >= 400 ? a.code() : ""));
                }
            }
        } finally {
            writers.shutdownNow();
        }

        assertThat(answers).as("every write acknowledged, none a false failure").allMatch(a -> a.startsWith("201"));
        assertThat(count("SELECT COUNT(*) FROM change_set c JOIN project p ON p.id = c.project_id "
                        + "WHERE p.slug = 'race' AND c.status <> 'committed'"))
                .isZero();
        for (int i = 0; i < TRIES; i++) {
            assertThat(api.put("/v1/projects/race/services/a" + i + "/secrets/NEXT", json("value", "v"))
                            .status())
                    .as("the scope is free at once")
                    .isEqualTo(201);
        }
    }

    @Test
    void aChangeSetThatManySettlersReachAtOnceIsCommittedOnce() throws Exception {
        Map<String, String> idempotency = Map.of("Idempotency-Key", "settle-many");
        String changeSet = pendingAfterItsVaultWrite("settle", idempotency);

        ExecutorService settlers = Executors.newFixedThreadPool(6);
        try {
            CyclicBarrier start = new CyclicBarrier(6);
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(settlers.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    reconciler.settle(changeSet);
                    return null;
                }));
            }
            for (Future<?> settled : all) {
                settled.get(60, TimeUnit.SECONDS);
            }
        } finally {
            settlers.shutdownNow();
        }

        assertThat(count("SELECT COUNT(*) FROM change_set WHERE id = '" + changeSet + "' AND status = 'committed'"))
                .isEqualTo(1);
        assertThat(count("SELECT version FROM secret s JOIN scope_entry e ON e.id = s.scope_entry_id "
                        + "WHERE e.entry_path = 'settle' AND s.key_name = 'KEY'"))
                .as("one new version")
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM secret_version WHERE change_set_id = '" + changeSet + "'"))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE change_set_id = '" + changeSet + "'"))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM restart_event WHERE change_set_ids LIKE '%" + changeSet + "%'"))
                .as("one event for the one deployment")
                .isEqualTo(1);
        Answer retried = api.send("PUT", "/v1/projects/settle/secrets/KEY", json("value", "v1"), idempotency);
        assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
        assertThat(retried.json().path("replayed").asBoolean()).isTrue();
    }

    @Test
    void aCommitNeverOverwritesAnAbortNorClearsAnotherWritersMarker() throws Exception {
        String changeSet = pendingAfterItsVaultWrite("taken", Map.of());
        Scope scope = Scope.project("taken");
        // Taken over (a settler that saw Vault before the write landed aborts it), then a newer writer begins.
        ledger.abort(changeSet, Outcome.ABORTED, null, scope);
        execute("UPDATE scope_entry SET pending_change_set = 'newer-writer', pending_since = UTC_TIMESTAMP() "
                + "WHERE entry_path = 'taken'");

        int written = vaultEntry("taken").path("metadata").path("version").asInt();

        assertThatThrownBy(() -> ledger.commit(
                        changeSet,
                        ledger.keysOf(changeSet),
                        written,
                        Outcome.SUCCEEDED,
                        scope,
                        java.util.Set.of(),
                        List::of,
                        null))
                .as("the writer whose intent was taken over is not acknowledged")
                .isInstanceOf(ChangeLedger.IntentTakenOver.class);
        reconciler.settle(changeSet);
        assertThat(count("SELECT COUNT(*) FROM change_set WHERE id = '" + changeSet + "' AND status = 'aborted'"))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM secret s JOIN scope_entry e ON e.id = s.scope_entry_id "
                        + "WHERE e.entry_path = 'taken'"))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM scope_entry WHERE entry_path = 'taken' "
                        + "AND pending_change_set = 'newer-writer'"))
                .as("the newer writer's marker stays")
                .isEqualTo(1);
        execute("UPDATE scope_entry SET pending_change_set = NULL, pending_since = NULL WHERE entry_path = 'taken'");
    }

    @Test
    void aBootFetchReadsTheAcknowledgedVersionNotOnePrunedByMaxVersions() throws Exception {
        String deployment = "/v1/projects/pruned/environments/prod/services/api";
        ok(api.put("/v1/projects/pruned/secrets/STATIC", json("value", "kept")));
        ok(api.put(deployment + "/secrets/NEIGHBOUR", json("value", "override")));
        for (int i = 0; i <= 100; i++) {
            ok(api.put("/v1/projects/pruned/secrets/NEIGHBOUR", json("value", "n" + i)));
        }
        String token =
                api.post(deployment + "/tokens", json()).json().path("token").asText();

        EnvClient.Fetch boot = new EnvClient(URI.create(server.getURL().toString())).fetch(token);

        assertThat(boot.status()).as(boot.body()).isEqualTo(200);
        assertThat(boot.body()).contains("\"STATIC\":\"kept\"").contains("\"NEIGHBOUR\":\"override\"");
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** A change-set whose value Vault holds and whose metadata commit MariaDB refused: left pending. */
    private String pendingAfterItsVaultWrite(String project, Map<String, String> headers) throws Exception {
        String trigger = "fail_commit_" + project;
        execute(
                "CREATE TRIGGER " + trigger + " BEFORE UPDATE ON change_set FOR EACH ROW BEGIN "
                        + "IF NEW.status = 'committed' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'; END IF; END");
        try {
            Answer failed = api.send("PUT", "/v1/projects/" + project + "/secrets/KEY", json("value", "v1"), headers);
            // A statement MySQL refused is the gateway's fault, not an outage: 500, not "retry later".
            assertThat(failed.status()).as(failed.toString()).isEqualTo(500);
        } finally {
            execute("DROP TRIGGER " + trigger);
        }
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rs =
                        statement.executeQuery("SELECT c.id FROM change_set c JOIN project p ON p.id = c.project_id "
                                + "WHERE p.slug = '" + project + "' AND c.status = 'pending'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }
}
