package io.vaultgate.changeset;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A replica whose host clock runs ten minutes ahead, on real OpenBao and MariaDB, settling a draft
 * that another replica has just taken for release (its change-set not begun yet). The releaser's
 * lease (two minutes) is judged on the database's clock, which every replica shares: this replica
 * leaves the draft releasing until the lease has passed there, and only then fences the
 * change-set and gives the draft back. Judged on its own clock it would fence a live release at once.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleasingLeaseSkewIT extends GatewayTest {

    private static final String PROJECT = "/v1/projects/lease";

    private ApiClient admin;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "test.clock-ahead", "10m",
                "vaultgate.change-sets.release-interval", "300ms",
                "vaultgate.change-sets.releasing-lease", "2m");
    }

    @BeforeAll
    void createCatalog() {
        admin = admin();
        ok(admin.put(PROJECT, null));
        ok(admin.put(PROJECT + "/environments/prod", json("type", "production")));
    }

    @Test
    void aDraftTakenForReleaseByAnotherReplicaIsLeftToItUntilTheLeasePassesOnTheDatabasesClock() throws Exception {
        Answer created = admin.post(PROJECT + "/change-sets", json("description", "taken elsewhere"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String draft = created.json().path("id").asText();
        assertThat(admin.put(PROJECT + "/environments/prod/secrets/KEY?changeSet=" + draft, json("value", "v"))
                        .status())
                .isEqualTo(202);
        String changeSet = UUID.randomUUID().toString();
        // What a replica's claim writes (on the database's clock) just before its release begins.
        execute("UPDATE change_set_draft SET state = 'releasing', applied_change_set = '" + changeSet
                + "', releasing_since = NOW(3), released_by = 'elsewhere', updated_at = NOW(3) WHERE id = '" + draft
                + "'");

        Thread.sleep(3_000); // ten rounds of this replica's release job

        assertThat(view(draft).path("state").asText()).isEqualTo("releasing");
        assertThat(count("SELECT COUNT(*) FROM change_set WHERE id = '" + changeSet + "'"))
                .as("the live release's change-set id is not fenced")
                .isZero();

        execute("UPDATE change_set_draft SET releasing_since = NOW(3) - INTERVAL 3 MINUTE WHERE id = '" + draft + "'");
        JsonNode settled = view(draft);
        for (int i = 0; i < 60 && settled.path("state").asText().equals("releasing"); i++) {
            Thread.sleep(500);
            settled = view(draft);
        }

        assertThat(settled.path("state").asText()).isEqualTo("draft");
        assertThat(settled.path("lastReleaseFailure").path("code").asText()).isEqualTo("release-not-begun");
        assertThat(count("SELECT COUNT(*) FROM change_set WHERE id = '" + changeSet + "' AND status = 'aborted'"))
                .as("fenced: a releaser that was only slow can no longer begin it")
                .isEqualTo(1);
    }

    private JsonNode view(String draft) {
        Answer answer = admin.get(PROJECT + "/change-sets/" + draft);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
    }
}
