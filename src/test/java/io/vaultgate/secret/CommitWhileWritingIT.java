package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A write's metadata is committed while the value store writes its values: the rows are written
 * for the version the write lands as, in a transaction that waits for Vault's answer and commits
 * only if the write landed. On real OpenBao and MariaDB, with a TCP relay holding Vault's
 * answers: the rows of a write in steps are written (uncommitted, invisible) while the answer to
 * its first step is held; a write whose answer never comes commits none of them and is settled
 * as before; a commit waits for Vault no longer than {@code commit-wait}, then leaves the commit
 * to the writer.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommitWhileWritingIT extends GatewayTest {

    /** Three requests on a stock listener: the rows are written while the first is answered. */
    private static final int KEYS = 1_000;

    /** Written in one request: the write has landed whole once Vault holds the entry. */
    private static final int ONE_REQUEST = 200;

    /** Long enough for a loaded machine to write 2,000 rows and finish a write within it. */
    private static final long COMMIT_WAIT_MILLIS = 10_000;

    @Inject
    MeterRegistry meters;

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("vaultgate.vault.uri", vaultThroughRelay());
        properties.put("vaultgate.reconciler.interval", "500ms");
        properties.put("vaultgate.writes.commit-wait", COMMIT_WAIT_MILLIS + "ms");
        // Vault's answers are held while the tests look: longer than that, not a timeout.
        properties.put("vaultgate.vault.read-timeout", "60s");
        return properties;
    }

    @BeforeAll
    void createProjects() {
        api = admin();
        ok(api.put("/v1/projects/ahead", null));
        ok(api.put("/v1/projects/lost", null));
        ok(api.put("/v1/projects/slow", null));
        ok(api.put("/v1/projects/hooked", null));
        ok(api.put("/v1/projects/hooked/environments/prod", json("type", "production")));
        ok(api.put("/v1/projects/hooked/services/api", null));
        ok(api.put("/v1/projects/hooked/environments/prod/services/api", null));
    }

    @Test
    void aWritesMetadataIsWrittenWhileTheValueStoreWritesItAndCommittedOnItsAnswer() throws Exception {
        double whileWriting = committed("while-writing");

        Answer imported = whileVaultAnswersAreHeld(
                vaultWriteTo("ahead"), () -> api.post("/v1/projects/ahead/import", keys("AHEAD_", KEYS)), importing -> {
                    awaitTrue(
                            "its rows are written while Vault's answer is held",
                            () -> uncommitted("AHEAD\\_%") == KEYS);
                    assertThat(count("SELECT COUNT(*) FROM secret WHERE key_name LIKE 'AHEAD\\_%'"))
                            .as("not committed before Vault answers")
                            .isZero();
                    assertThat(importing.isDone())
                            .as("the write still waits for Vault")
                            .isFalse();
                });

        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        assertThat(committed("while-writing")).isEqualTo(whileWriting + 1);
        assertThat(count("SELECT COUNT(*) FROM secret WHERE key_name LIKE 'AHEAD\\_%' AND version = 1"))
                .isEqualTo(KEYS);
        assertThat(count("SELECT vault_version FROM scope_entry WHERE entry_path = 'ahead'"))
                .as("the metadata follows the version Vault gave")
                .isEqualTo(vaultEntry("ahead").path("metadata").path("version").asLong());
        assertThat(api.get("/v1/projects/ahead/secrets/AHEAD_7")
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void aWriteWhoseValueStoreAnswerIsLostCommitsNothingItWroteAheadAndIsSettledAsBefore() throws Exception {
        double whileWriting = committed("while-writing");
        double afterWriting = committed("after-writing");

        Answer lost;
        try {
            lost = whileVaultAnswersAreHeld(
                    vaultWriteTo("lost"),
                    () -> api.post("/v1/projects/lost/import", keys("LOST_", ONE_REQUEST)),
                    importing -> {
                        awaitTrue(
                                "its rows are written while Vault's answer is held",
                                () -> uncommitted("LOST\\_%") == ONE_REQUEST);
                        awaitTrue("Vault has the write", () -> vaultEntry("lost") != null);
                        // Its answer never reaches the gateway.
                        vaultRelay().cut();
                    });
        } finally {
            vaultRelay().restore();
        }

        assertThat(lost.status()).as(lost.toString()).isGreaterThanOrEqualTo(500);
        assertThat(committed("while-writing")).isEqualTo(whileWriting);
        // Settled forward by the reconciler (not by the commit made while writing, rolled back), its
        // key rows recorded once.
        awaitTrue(
                "the write is settled",
                () -> count("SELECT COUNT(*) FROM change_set c JOIN project p "
                                + "ON p.id = c.project_id WHERE p.slug = 'lost' AND c.status = 'pending'")
                        == 0);
        awaitTrue("the reconciler's commit is counted", () -> committed("after-writing") == afterWriting + 1);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE scope = '/v1/projects/lost' AND action = 'secret.import'"
                        + " AND outcome = 'succeeded'"))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE scope = '/v1/projects/lost' AND action = 'secret.import'"
                        + " AND outcome = 'completed-by-reconciler'"))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM secret WHERE key_name LIKE 'LOST\\_%' AND version = 1"))
                .isEqualTo(ONE_REQUEST);
        assertThat(count("SELECT COUNT(*) FROM secret_version v JOIN secret s ON s.id = v.secret_id "
                        + "WHERE s.key_name LIKE 'LOST\\_%'"))
                .isEqualTo(ONE_REQUEST);
    }

    /** The {@code secret} rows named like {@code pattern}, committed or not. */
    private long uncommitted(String pattern) throws SQLException {
        try (Connection connection = database();
                Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
            try (ResultSet rows =
                    statement.executeQuery("SELECT COUNT(*) FROM secret WHERE key_name LIKE '" + pattern + "'")) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void aCommitWaitsForTheValueStoreNoLongerThanCommitWaitThenTheWriterCommitsAfterItsWrite() throws Exception {
        double whileWriting = committed("while-writing");
        double afterWriting = committed("after-writing");

        Answer imported = whileVaultAnswersAreHeld(
                vaultWriteTo("slow"), () -> api.post("/v1/projects/slow/import", keys("SLOW_", KEYS)), importing -> {
                    awaitTrue(
                            "its rows are written while Vault's answer is held", () -> uncommitted("SLOW\\_%") == KEYS);
                    long seen = System.nanoTime();
                    // A stuck write would hold the scope's rows and a connection for as long as it is stuck.
                    awaitTrue(
                            "the commit gives up waiting, its rows with it, while the answer is still held",
                            () -> uncommitted("SLOW\\_%") == 0);
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - seen))
                            .isLessThan(COMMIT_WAIT_MILLIS + 1_000);
                    assertThat(importing.isDone())
                            .as("the write still waits for Vault")
                            .isFalse();
                });

        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        assertThat(committed("while-writing")).isEqualTo(whileWriting);
        assertThat(committed("after-writing")).isEqualTo(afterWriting + 1);
        assertThat(count("SELECT COUNT(*) FROM secret WHERE key_name LIKE 'SLOW\\_%' AND version = 1"))
                .isEqualTo(KEYS);
        assertThat(count("SELECT COUNT(*) FROM secret_version v JOIN secret s ON s.id = v.secret_id "
                        + "WHERE s.key_name LIKE 'SLOW\\_%'"))
                .isEqualTo(KEYS);
    }

    @Test
    void aHookRegisteredWhileTheCommitWaitsForTheValueStoreIsOwedTheWritesRestart() throws Exception {
        Answer write = whileVaultAnswersAreHeld(
                vaultWriteTo("hooked"),
                () -> api.put("/v1/projects/hooked/secrets/HOOKED", json("value", "v1")),
                writing -> {
                    awaitTrue(
                            "the write's rows are written while Vault's answer is held",
                            () -> uncommitted("HOOKED") == 1);
                    // As another replica registering a hook commits its row (its secret already in
                    // Vault: this replica's Vault answers are held). Nothing listens there: the
                    // delivery is owed whether or not it gets through.
                    execute("INSERT INTO webhook (hook_id, project_id, url, environments, enabled, created_at,"
                            + " created_by) SELECT 'hk-late', id, 'http://127.0.0.1:9/restart', NULL, TRUE, NOW(),"
                            + " 'test' FROM project WHERE slug = 'hooked'");
                });

        assertThat(write.status()).as(write.toString()).isEqualTo(201);
        assertThat(write.json().path("restarts")).hasSize(1);
        assertThat(count("SELECT COUNT(*) FROM webhook_delivery d JOIN restart_event e ON e.event_id = d.event_id "
                        + "JOIN project p ON p.id = e.project_id WHERE p.slug = 'hooked'"))
                .as("the hook registered before the write committed is owed its event")
                .isEqualTo(1);
    }

    /** What the test looks at while Vault's answers are held, the request still in flight. */
    private interface Meanwhile {
        void check(Future<Answer> request) throws Exception;
    }

    /**
     * Sends {@code request} with Vault's answers held from the Vault request holding
     * {@code holdFrom} on; once Vault has it, runs {@code meanwhile}, then lets the answers go and
     * answers what the gateway answered.
     */
    private Answer whileVaultAnswersAreHeld(String holdFrom, Callable<Answer> request, Meanwhile meanwhile)
            throws Exception {
        ExecutorService clients = Executors.newSingleThreadExecutor();
        try {
            vaultRelay().holdAnswersFrom(holdFrom);
            Future<Answer> sent;
            try {
                sent = clients.submit(request);
                awaitTrue("Vault got the request", () -> vaultRelay().answersHeld());
                meanwhile.check(sent);
            } finally {
                vaultRelay().releaseAnswers();
            }
            return sent.get(30, TimeUnit.SECONDS);
        } finally {
            clients.shutdownNow();
        }
    }

    private String vaultWriteTo(String project) {
        return "POST /v1/" + stack().kvMount() + "/data/" + stack().pathPrefix() + "/" + project + " ";
    }

    private static Map<String, Object> keys(String prefix, int count) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            body.put(prefix + i, "value-" + i);
        }
        return body;
    }

    private double committed(String when) {
        Counter counter =
                meters.find("vaultgate.writes.committed").tag("when", when).counter();
        return counter == null ? 0 : counter.count();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
