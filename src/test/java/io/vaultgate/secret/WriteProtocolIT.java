package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The write protocol survives a failure at either store: real MariaDB refusing the metadata
 * commit after Vault was written (a trigger), and real OpenBao refusing the value write (a deny
 * policy). The scheduled reconciler converges both; nothing acknowledged is lost and no
 * half-write shows in the metadata.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteProtocolIT extends GatewayTest {

    private static final String DENY_POLICY = "vaultgate-test-deny-blocked";
    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        denyWritesTo("blocked");
        return Map.of(
                "vaultgate.vault.token", stack().createToken("vaultgate-gateway", DENY_POLICY),
                "vaultgate.reconciler.interval", "500ms",
                "vaultgate.reconciler.stale-after", "2s");
    }

    @BeforeAll
    void createProjects() {
        api = admin();
        assertThat(api.put("/v1/projects/shop", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/blocked", null).status()).isEqualTo(201);
    }

    @Test
    void metadataFailureAfterTheVaultWriteIsCompletedByTheReconciler() throws Exception {
        execute("""
                CREATE TRIGGER fail_commit BEFORE UPDATE ON change_set FOR EACH ROW
                BEGIN
                  IF NEW.status = 'committed' THEN
                    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected commit failure';
                  END IF;
                END""");
        Map<String, String> idempotency = Map.of("Idempotency-Key", "shop-payment-key");
        try {
            Answer failed =
                    api.send("PUT", "/v1/projects/shop/secrets/PAYMENT_KEY", json("value", "pk_live_1"), idempotency);

            // MySQL refused a statement (it is up): 500, not the 503 of an outage.
            assertThat(failed.status()).as(failed.toString()).isEqualTo(500);
            assertThat(failed.code()).isEqualTo("internal-error");
            assertThat(vaultEntry("shop").path("data").path("PAYMENT_KEY").asText())
                    .isEqualTo("pk_live_1");
            // Looked at while the fault lasts: the reconciler's passes (every 500 ms) fail on it too.
            assertThat(count("SELECT COUNT(*) FROM change_set WHERE status = 'pending'"))
                    .isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM secret WHERE key_name = 'PAYMENT_KEY'"))
                    .isZero();
        } finally {
            execute("DROP TRIGGER fail_commit");
        }

        awaitTrue(() -> api.get("/v1/projects/shop/secrets/PAYMENT_KEY").status() == 200);

        assertThat(count("SELECT COUNT(*) FROM change_set WHERE status = 'pending'"))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE outcome = 'completed-by-reconciler'"))
                .isEqualTo(1);
        Answer retried =
                api.send("PUT", "/v1/projects/shop/secrets/PAYMENT_KEY", json("value", "pk_live_1"), idempotency);
        assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
        assertThat(retried.json().path("replayed").asBoolean()).isTrue();
        assertThat(api.get("/v1/projects/shop/secrets/PAYMENT_KEY")
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(1);
        assertThat(api.put("/v1/projects/shop/secrets/PAYMENT_KEY", json("value", "pk_live_2", "expectedVersion", 1))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void refusedVaultWriteIsAbortedAndLeavesNothingVisible() throws Exception {
        Answer failed = api.put("/v1/projects/blocked/secrets/TOKEN", json("value", "never-stored"));

        assertThat(failed.status()).as(failed.toString()).isEqualTo(502);
        assertThat(failed.code()).isEqualTo("value-store-failed");
        assertThat(failed.body()).doesNotContain("never-stored");
        assertThat(api.get("/v1/projects/blocked/secrets/TOKEN").status()).isEqualTo(404);
        assertThat(vaultEntry("blocked")).isNull();

        // Vault answered that it refused the write: nothing can have landed, so nothing waits to be settled.
        assertThat(pendingChangeSets("blocked")).isZero();

        stack().writePolicy(DENY_POLICY, "path \"sys/nothing\" { capabilities = [\"deny\"] }");

        assertThat(count("SELECT COUNT(*) FROM change_set c JOIN project p ON p.id = c.project_id "
                        + "WHERE p.slug = 'blocked' AND c.status = 'aborted'"))
                .isEqualTo(1);
        assertThat(api.get("/v1/projects/blocked/secrets/TOKEN").status()).isEqualTo(404);
        Answer retried = api.put("/v1/projects/blocked/secrets/TOKEN", json("value", "stored-now"));
        assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
        assertThat(vaultEntry("blocked").path("data").path("TOKEN").asText()).isEqualTo("stored-now");
    }

    private void denyWritesTo(String project) {
        String path = stack().kvMount() + "/data/" + stack().pathPrefix() + "/" + project;
        stack().writePolicy(DENY_POLICY, """
                path "%s" { capabilities = ["deny"] }
                path "%s/*" { capabilities = ["deny"] }
                """.formatted(path, path));
    }

    private long pendingChangeSets(String project) {
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT COUNT(*) FROM change_set c JOIN project p ON p.id = c.project_id " + "WHERE p.slug = '"
                                + project + "' AND c.status = 'pending'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition not met in time").isBefore(deadline);
            Thread.sleep(200);
        }
    }
}
