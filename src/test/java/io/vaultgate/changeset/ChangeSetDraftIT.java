package io.vaultgate.changeset;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Change-set drafts end to end on real OpenBao and MariaDB, as the reviewer checks them: a rotation
 * staged at three scopes changes nothing until release, the author may not approve it, another
 * project admin may, a new staging voids that approval, and the release emits one restart event
 * per affected deployment. Staged values are only ever in the draft's Vault entry.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeSetDraftIT extends GatewayTest {

    private static final String CANARY = "staged-canary-" + UUID.randomUUID();
    private static final String ACME = "/v1/projects/acme";
    private static final String PRODUCTION_API = ACME + "/environments/production/services/api";

    private LogCapture logs;
    private ApiClient admin;
    private ApiClient alice;
    private ApiClient aliceAgain;
    private ApiClient bob;
    private EnvClient env;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vaultgate.change-sets.release-interval", "500ms");
    }

    @BeforeAll
    void createCatalog() {
        logs = new LogCapture();
        admin = admin();
        env = new EnvClient(URI.create(server.getURL().toString()));
        for (String project : List.of("acme", "beta")) {
            ok(admin.put("/v1/projects/" + project, null));
            ok(admin.put("/v1/projects/" + project + "/environments/production", json("type", "production")));
            ok(admin.put("/v1/projects/" + project + "/environments/staging", json("type", "staging")));
            for (String service : List.of("api", "worker")) {
                ok(admin.put("/v1/projects/" + project + "/services/" + service, null));
                for (String environment : List.of("production", "staging")) {
                    ok(admin.put(
                            "/v1/projects/" + project + "/environments/" + environment + "/services/" + service, null));
                }
            }
        }
        alice = admin.withToken(projectAdmin("alice"));
        aliceAgain = admin.withToken(projectAdmin("alice"));
        bob = admin.withToken(projectAdmin("bob"));
        ok(admin.put(ACME + "/approval-rules/production", json("approvals", 1)));
    }

    @AfterAll
    void stopCapturing() {
        logs.close();
    }

    @Test
    void aRotationStagedAtThreeScopesChangesNothingUntilReleaseThenRestartsEachAffectedDeploymentOnce()
            throws Exception {
        ok(admin.put(ACME + "/secrets/DB_PASSWORD", json("value", "old-project")));
        ok(admin.put(ACME + "/environments/production/secrets/API_TOKEN", json("value", "old-environment")));
        ok(admin.put(ACME + "/services/api/secrets/SIGNING_KEY", json("value", "old-service")));
        String workload = mint(PRODUCTION_API);
        EnvClient.Fetch bootBefore = env.fetch(workload, "?format=json", Map.of());
        String resolvedBefore = admin.get(PRODUCTION_API + "/resolved").body();
        long eventsBefore = count("SELECT COUNT(*) FROM restart_event");

        String id = create(alice, "Rotate the three credentials");
        Answer staged = alice.put(
                ACME + "/secrets/DB_PASSWORD?changeSet=" + id,
                json("value", CANARY + "-project", "expectedVersion", 1));
        assertThat(staged.status()).as(staged.body()).isEqualTo(202);
        assertThat(staged.json().path("staged").asBoolean()).isTrue();
        assertThat(staged.json().path("revision").asInt()).isEqualTo(1);
        assertThat(staged.json().path("scope").asText()).isEqualTo(ACME);
        assertThat(staged.json().path("operations").get(0).path("operation").asText())
                .isEqualTo("set");
        assertThat(alice.put(
                                ACME + "/environments/production/secrets/API_TOKEN?changeSet=" + id,
                                json("value", CANARY + "-environment"))
                        .status())
                .isEqualTo(202);
        assertThat(alice.post(ACME + "/services/api/import?changeSet=" + id, json("SIGNING_KEY", CANARY + "-service"))
                        .status())
                .isEqualTo(202);

        // Nothing changed: not what the deployment resolves, not what it boots with, no restart owed.
        assertThat(env.fetch(workload, "?format=json", Map.of()).body()).isEqualTo(bootBefore.body());
        assertThat(admin.get(PRODUCTION_API + "/resolved").body()).isEqualTo(resolvedBefore);
        assertThat(admin.get(ACME + "/secrets/DB_PASSWORD")
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM restart_event")).isEqualTo(eventsBefore);

        JsonNode view = alice.get(ACME + "/change-sets/" + id).json();
        assertThat(view.path("state").asText()).isEqualTo("draft");
        assertThat(view.path("revision").asInt()).isEqualTo(3);
        assertThat(view.path("operations")).hasSize(3);
        assertThat(view.path("operations").findValuesAsText("reviewedVersion")).containsOnly("1");
        assertThat(view.path("approval").path("required").asInt()).isEqualTo(1);
        assertThat(view.path("approval").path("satisfied").asBoolean()).isFalse();
        assertThat(view.path("impact").path("deployments")).hasSize(4);
        assertThat(view.path("impact").path("conflicts")).isEmpty();
        assertThat(view.toString()).doesNotContain(CANARY);

        assertProblem(alice.post(ACME + "/change-sets/" + id + "/release", null), 409, "approval-required");
        assertProblem(alice.post(ACME + "/change-sets/" + id + "/approve", null), 403, "approval-not-allowed");
        // Another token of the same person (same display name) is still the author.
        assertProblem(aliceAgain.post(ACME + "/change-sets/" + id + "/approve", null), 403, "approval-not-allowed");
        JsonNode approved =
                ok(bob.post(ACME + "/change-sets/" + id + "/approve", null)).json();
        assertThat(approved.path("approval").path("granted").asInt()).isEqualTo(1);
        assertThat(approved.path("approval").path("satisfied").asBoolean()).isTrue();

        // The draft changes after the approval: the approval is void.
        assertThat(alice.put(ACME + "/services/api/secrets/SIGNING_KEY?changeSet=" + id, json("value", CANARY + "-2"))
                        .status())
                .isEqualTo(202);
        JsonNode moved = alice.get(ACME + "/change-sets/" + id).json();
        assertThat(moved.path("approval").path("granted").asInt()).isZero();
        assertThat(moved.path("approvals").get(0).path("current").asBoolean()).isFalse();
        assertProblem(alice.post(ACME + "/change-sets/" + id + "/release", null), 409, "approval-required");
        ok(bob.post(ACME + "/change-sets/" + id + "/approve", null));

        Answer released = alice.post(ACME + "/change-sets/" + id + "/release", null);
        assertThat(released.status()).as(released.body()).isEqualTo(200);
        JsonNode result = released.json();
        assertThat(result.path("state").asText()).isEqualTo("released");
        String changeSetId = result.path("changeSetId").asText();
        assertThat(changeSetId).isNotBlank();
        assertThat(result.path("restart").path("events").asInt()).isEqualTo(4);

        // One restart event per affected deployment, naming all its changed keys.
        try (var connection = database();
                var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT environment, service, COUNT(*), MAX(key_names) "
                        + "FROM restart_event WHERE change_set_ids LIKE '%" + changeSetId + "%' "
                        + "GROUP BY environment, service ORDER BY environment, service")) {
            List<String> events = new ArrayList<>();
            while (rows.next()) {
                assertThat(rows.getInt(3)).isEqualTo(1);
                events.add(rows.getString(1) + "/" + rows.getString(2) + ":" + rows.getString(4));
            }
            assertThat(events).hasSize(4);
            assertThat(events.get(0)).startsWith("production/api:").contains("API_TOKEN", "DB_PASSWORD", "SIGNING_KEY");
        }
        JsonNode booted = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(env.fetch(workload, "?format=json", Map.of()).body());
        assertThat(booted.toString())
                .contains(CANARY + "-project", CANARY + "-environment", CANARY + "-2")
                .doesNotContain("old-project");
        assertThat(vaultEntry("acme/draft/" + id)).isNull();
        // Releasing again answers the same result.
        assertThat(ok(alice.post(ACME + "/change-sets/" + id + "/release", null))
                        .json()
                        .path("changeSetId")
                        .asText())
                .isEqualTo(changeSetId);

        String audit = admin.get(ACME + "/audit?size=500").body();
        assertThat(audit)
                .contains(
                        "change-set.create",
                        "change-set.stage",
                        "change-set.approve",
                        "change-set.release",
                        "approval-rule.set")
                .contains("\"errorCode\":\"approval-not-allowed\"");
        assertThat(databaseDump()).contains("SIGNING_KEY").doesNotContain(CANARY);
        assertThat(logs.text()).doesNotContain(CANARY);
    }

    @Test
    void aReleaseAfterTheKeysMovedAnswers409ListingEveryConflictAndWritesNothing() {
        String beta = "/v1/projects/beta";
        ok(admin.put(beta + "/environments/staging/secrets/MOVES_A", json("value", "a1")));
        ok(admin.put(beta + "/services/worker/secrets/MOVES_B", json("value", "b1")));
        String id = create(admin, "Two keys someone else changes meanwhile");
        assertThat(admin.put(beta + "/environments/staging/secrets/MOVES_A?changeSet=" + id, json("value", "a-staged"))
                        .status())
                .isEqualTo(202);
        assertThat(admin.send("DELETE", beta + "/services/worker/secrets/MOVES_B?changeSet=" + id, null, Map.of())
                        .status())
                .isEqualTo(202);
        ok(admin.put(beta + "/environments/staging/secrets/MOVES_A", json("value", "a2")));
        ok(admin.put(beta + "/services/worker/secrets/MOVES_B", json("value", "b2")));
        assertThat(admin.get(beta + "/change-sets/" + id).json().path("impact").path("conflicts"))
                .hasSize(2);

        Answer refused = admin.post(beta + "/change-sets/" + id + "/release", null);

        assertProblem(refused, 409, "change-set-conflict");
        assertThat(refused.body()).contains("MOVES_A", "MOVES_B");
        assertThat(vaultEntry("beta/env/staging").path("data").path("MOVES_A").asText())
                .isEqualTo("a2");
        JsonNode after = admin.get(beta + "/change-sets/" + id).json();
        assertThat(after.path("state").asText()).isEqualTo("draft");
        assertThat(after.path("lastReleaseFailure").path("code").asText()).isEqualTo("change-set-conflict");
    }

    @Test
    void aScheduledReleaseHappensOnceNotBeforeHasPassed() throws Exception {
        String beta = "/v1/projects/beta";
        String id = create(admin, "Later");
        assertThat(admin.put(beta + "/environments/production/secrets/LATER?changeSet=" + id, json("value", "soon"))
                        .status())
                .isEqualTo(202);
        Instant notBefore = Instant.now().plusSeconds(3);

        Answer scheduled =
                admin.post(beta + "/change-sets/" + id + "/release", json("notBefore", notBefore.toString()));

        assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(202);
        assertThat(scheduled.json().path("state").asText()).isEqualTo("scheduled");
        assertProblem(
                admin.put(beta + "/environments/production/secrets/OTHER?changeSet=" + id, json("value", "x")),
                409,
                "change-set-closed");
        assertThat(admin.get(beta + "/environments/production/secrets/LATER").status())
                .isEqualTo(404);
        JsonNode view = null;
        for (int i = 0; i < 60; i++) {
            view = admin.get(beta + "/change-sets/" + id).json();
            if (view.path("state").asText().equals("released")) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(view.path("state").asText()).isEqualTo("released");
        assertThat(Instant.parse(view.path("releasedAt").asText())).isAfterOrEqualTo(notBefore);
        assertThat(vaultEntry("beta/env/production").path("data").path("LATER").asText())
                .isEqualTo("soon");
    }

    @Test
    void aScheduledDraftWhoseReleaseFailsHoldsUpNoOtherDueDraft() throws Exception {
        String gamma = "/v1/projects/gamma";
        ok(admin.put(gamma, null));
        ok(admin.put(gamma + "/environments/production", json("type", "production")));
        ok(admin.put(gamma + "/environments/staging", json("type", "staging")));
        String failing = createIn(gamma, "Refused at release, and its refusal cannot be recorded");
        String other = createIn(gamma, "Due after it");
        assertThat(admin.put(gamma + "/environments/production/secrets/FIRST?changeSet=" + failing, json("value", "1"))
                        .status())
                .isEqualTo(202);
        assertThat(admin.put(gamma + "/environments/staging/secrets/SECOND?changeSet=" + other, json("value", "2"))
                        .status())
                .isEqualTo(202);
        Instant notBefore = Instant.now().plusSeconds(2);
        assertThat(admin.post(gamma + "/change-sets/" + failing + "/release", json("notBefore", notBefore.toString()))
                        .status())
                .isEqualTo(202);
        assertThat(admin.post(
                                gamma + "/change-sets/" + other + "/release",
                                json("notBefore", notBefore.plusSeconds(1).toString()))
                        .status())
                .isEqualTo(202);
        // The first due draft now lacks an approval, and MySQL refuses to record that on its row.
        ok(admin.put(gamma + "/approval-rules/production", json("approvals", 1)));
        execute("CREATE TRIGGER fail_draft_update BEFORE UPDATE ON change_set_draft FOR EACH ROW BEGIN "
                + "IF OLD.id = '" + failing + "' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'; "
                + "END IF; END");
        try {
            assertThat(awaitState(gamma, other, "released")).isEqualTo("released");
            assertThat(admin.get(gamma + "/change-sets/" + failing)
                            .json()
                            .path("state")
                            .asText())
                    .isEqualTo("scheduled");
        } finally {
            execute("DROP TRIGGER fail_draft_update");
        }

        assertThat(awaitState(gamma, failing, "draft")).isEqualTo("draft");
        assertThat(admin.get(gamma + "/change-sets/" + failing)
                        .json()
                        .path("lastReleaseFailure")
                        .path("code")
                        .asText())
                .isEqualTo("approval-required");
    }

    @Test
    void discardingADraftDeletesItsVaultEntryAndClosesIt() {
        String beta = "/v1/projects/beta";
        String id = create(admin, "Never mind");
        assertThat(admin.put(beta + "/services/api/secrets/DISCARDED?changeSet=" + id, json("value", CANARY))
                        .status())
                .isEqualTo(202);
        assertThat(vaultEntry("beta/draft/" + id)
                        .path("data")
                        .path("beta/svc/api#DISCARDED")
                        .asText())
                .isEqualTo(CANARY);

        JsonNode discarded = ok(admin.delete(beta + "/change-sets/" + id)).json();

        assertThat(discarded.path("state").asText()).isEqualTo("discarded");
        assertThat(vaultEntry("beta/draft/" + id)).isNull();
        assertProblem(
                admin.put(beta + "/services/api/secrets/DISCARDED?changeSet=" + id, json("value", "x")),
                409,
                "change-set-closed");
        assertProblem(admin.post(beta + "/change-sets/" + id + "/release", null), 409, "change-set-closed");
        assertThat(admin.get(beta + "/change-sets?state=discarded").body()).contains(id);
        assertThat(admin.get(beta + "/change-sets").body()).doesNotContain(id);
    }

    @Test
    void aWorkloadTokenIsRefusedOnTheDraftPathByOpenBaoItself() throws Exception {
        String id = create(alice, "Out of the workloads' reach");
        assertThat(alice.put(PRODUCTION_API + "/secrets/HIDDEN?changeSet=" + id, json("value", CANARY))
                        .status())
                .isEqualTo(202);
        String workload = mint(PRODUCTION_API);
        String base = stack().kvMount() + "/data/" + stack().pathPrefix() + "/acme";

        assertThat(vaultStatus(base + "/env/production/svc/api", workload)).isIn(200, 404);
        assertThat(vaultStatus(base + "/draft/" + id, workload)).isEqualTo(403);
        assertThat(vaultStatus(base + "/draft/" + id, stack().rootToken())).isEqualTo(200);
    }

    /** The status OpenBao itself answers this token on a read, the gateway not involved. */
    private int vaultStatus(String path, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack().vaultAddress() + "/v1/" + path))
                                .header("X-Vault-Token", token)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void stagingIsCheckedLikeTheWriteAndAnIdempotentRetryStagesOnce() {
        String id = create(alice, "Checks");
        assertProblem(
                alice.put(ACME + "/secrets/lower?changeSet=" + id, json("value", "x")), 400, "invalid-secret-name");
        assertProblem(
                alice.put(ACME + "/secrets/OK?changeSet=" + id + "&dryRun=true", json("value", "x")),
                400,
                "invalid-request");
        assertProblem(
                alice.put(ACME + "/secrets/OK?changeSet=" + id, json("value", "x", "expectedVersion", 3)),
                409,
                "version-conflict");
        assertProblem(
                alice.send("DELETE", ACME + "/secrets/ABSENT?changeSet=" + id, null, Map.of()),
                404,
                "secret-not-found");
        assertProblem(
                alice.put(ACME + "/secrets/OK?changeSet=" + UUID.randomUUID(), json("value", "x")),
                404,
                "change-set-not-found");
        assertProblem(alice.put(ACME + "/secrets/OK?changeSet=nope", json("value", "x")), 400, "invalid-request");

        Map<String, String> key = Map.of("Idempotency-Key", "stage-once");
        Answer first = alice.send("PUT", ACME + "/secrets/ONCE?changeSet=" + id, json("value", "1"), key);
        Answer again = alice.send("PUT", ACME + "/secrets/ONCE?changeSet=" + id, json("value", "1"), key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(alice.get(ACME + "/change-sets/" + id)
                        .json()
                        .path("revision")
                        .asInt())
                .isEqualTo(1);
        // A project admin cannot lower the rule their own drafts are held to.
        assertProblem(alice.put(ACME + "/approval-rules/production", json("approvals", 0)), 403, "forbidden");
    }

    private String create(ApiClient client, String description) {
        String project = client == admin ? "beta" : "acme";
        Answer created = client.post("/v1/projects/" + project + "/change-sets", json("description", description));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private String createIn(String project, String description) {
        Answer created = admin.post(project + "/change-sets", json("description", description));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    /** The draft's state once it is {@code wanted}, or its last state after 30 seconds. */
    private String awaitState(String project, String id, String wanted) throws InterruptedException {
        String state = null;
        for (int i = 0; i < 60 && !wanted.equals(state); i++) {
            if (i > 0) {
                Thread.sleep(500);
            }
            state = admin.get(project + "/change-sets/" + id)
                    .json()
                    .path("state")
                    .asText();
        }
        return state;
    }

    private String projectAdmin(String name) {
        Answer minted =
                admin.post(ACME + "/operator-tokens", json("role", "project-admin", "name", name, "ttlSeconds", 3600));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private String mint(String deployment) {
        return ok(admin.post(deployment + "/tokens", json()))
                .json()
                .path("token")
                .asText();
    }

    private static Answer ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
        return answer;
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.code()).isEqualTo(code);
    }
}
