package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A write that certainly never reached Vault frees its scope at once, and one that may have is
 * settled as soon as someone can, not after stale-after: on real OpenBao, reached through a relay
 * that can refuse connections, and real MariaDB. The reconciler's stale pass is an hour away, so
 * whatever frees a scope here is the write path itself.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VaultOutageWritesIT extends GatewayTest {

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("vaultgate.vault.uri", vaultThroughRelay());
        properties.put("vaultgate.reconciler.interval", "1h");
        properties.put("vaultgate.reconciler.stale-after", "1h");
        properties.put("vaultgate.auth.cache-ttl", "10m"); // the admin's lookup outlives the outage
        properties.put("vaultgate.vault.resilience.read-retry-attempts", "1");
        return properties;
    }

    @BeforeAll
    void createProjects() {
        api = admin();
        ok(api.put("/v1/projects/refused", null));
        ok(api.put("/v1/projects/unrecorded", null));
    }

    @Test
    void aWriteVaultNeverReceivedIsAbortedAtOnceAndItsScopeIsFreeTheMomentVaultIsBack() throws Exception {
        ok(api.put("/v1/projects/refused/secrets/BEFORE", json("value", "1")));
        vaultRelay().refuseConnections();
        Answer failed;
        try {
            failed = api.put("/v1/projects/refused/secrets/DURING", json("value", "2"));
        } finally {
            vaultRelay().listenAgain();
        }

        assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
        assertThat(count("SELECT COUNT(*) FROM change_set c JOIN project p ON p.id = c.project_id "
                        + "WHERE p.slug = 'refused' AND c.status = 'pending'"))
                .as("nothing left holding the scope")
                .isZero();
        Answer next = api.put("/v1/projects/refused/secrets/AFTER", json("value", "3"));
        assertThat(next.status()).as(next.toString()).isEqualTo(201);
        assertThat(api.get("/v1/projects/refused/secrets/DURING").status()).isEqualTo(404);
    }

    @Test
    void aWriteVaultTookButMysqlDidNotRecordIsSettledByTheScopesNextWriterAtOnce() throws Exception {
        execute(
                "CREATE TRIGGER fail_unrecorded BEFORE UPDATE ON change_set FOR EACH ROW BEGIN "
                        + "IF NEW.status = 'committed' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'; END IF; END");
        Answer failed;
        try {
            failed = api.put("/v1/projects/unrecorded/secrets/FIRST", json("value", "1"));
        } finally {
            execute("DROP TRIGGER fail_unrecorded");
        }
        // A statement MySQL refused is the gateway's fault, not an outage: 500, not "retry later".
        assertThat(failed.status()).as(failed.toString()).isEqualTo(500);
        assertThat(failed.code()).isEqualTo("internal-error");

        Answer next = api.put("/v1/projects/unrecorded/secrets/SECOND", json("value", "2"));

        assertThat(next.status()).as("not 409 until stale-after: %s", next).isEqualTo(201);
        assertThat(api.get("/v1/projects/unrecorded/secrets/FIRST").status())
                .as("the write Vault took is acknowledged")
                .isEqualTo(200);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE outcome = 'completed-by-reconciler'"))
                .isEqualTo(1);
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }
}
