package io.vaultgate.changeset;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.database.DatabaseClock;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.secret.MultiScopeRelease;
import io.vaultgate.secret.StagedChange;
import io.vaultgate.testing.RealParts;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.RestartMode;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the review of change control found, on real OpenBao and MariaDB: a releaser that stalls
 * past its lease cannot apply a draft that was given back; a committed release is left to its
 * releaser while it is within its lease and, settled by another path, shows the restarts it
 * recorded; the author's approval never satisfies a rule that forbids it; an approval names the
 * revision it reviewed. The stalled releaser is played by calling the release's own steps in turn.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeSetReleaseRacesIT extends GatewayTest {

    private static final String RACES = "/v1/projects/races";

    @Inject
    Catalog catalog;

    @Inject
    Drafts drafts;

    @Inject
    DraftRows rows;

    @Inject
    DraftViews views;

    @Inject
    MultiScopeRelease release;

    @Inject
    Transactions transactions;

    @Inject
    DatabaseClock databaseClock;

    private ApiClient admin;
    private ApiClient alice;
    private ApiClient bob;

    @Override
    protected Map<String, String> extraProperties() {
        // The job stays out of the way: the tests settle drafts by showing them.
        return Map.of("vaultgate.change-sets.release-interval", "1h");
    }

    @BeforeAll
    void createCatalog() {
        admin = admin();
        for (String project : List.of("races", "approvals")) {
            ok(admin.put("/v1/projects/" + project, null));
            ok(admin.put("/v1/projects/" + project + "/environments/staging", json("type", "staging")));
            ok(admin.put("/v1/projects/" + project + "/services/api", null));
            ok(admin.put("/v1/projects/" + project + "/environments/staging/services/api", null));
        }
        ok(admin.put(RACES + "/environments/production", json("type", "production")));
        ok(admin.put(RACES + "/environments/production/services/api", null));
        alice = admin.withToken(projectAdmin("races", "alice"));
        bob = admin.withToken(projectAdmin("races", "bob"));
    }

    @Test
    void aReleaserStalledPastItsLeaseCannotApplyTheDraftGivenBack() throws Exception {
        ok(admin.put(RACES + "/secrets/STALLED", json("value", "old")));
        String id = create(admin, "races");
        ok(admin.put(RACES + "/secrets/STALLED?changeSet=" + id, json("value", "new", "expectedVersion", 1)));
        Project project = catalog.requireProject("races");
        String changeSetId = UUID.randomUUID().toString();
        Draft releasing = claim(project, id, changeSetId);
        List<StagedChange> changes = views.changes(releasing, operations(id));

        // The releaser stalls (a GC pause, a slow Vault) past its lease; another replica gives the draft back.
        execute("UPDATE change_set_draft SET releasing_since = releasing_since - INTERVAL 10 MINUTE WHERE id = '" + id
                + "'");
        JsonNode given = ok(admin.get(RACES + "/change-sets/" + id)).json();
        assertThat(given.path("state").asText()).isEqualTo("draft");
        assertThat(given.path("lastReleaseFailure").path("code").asText()).isEqualTo("release-not-begun");

        ApiException closed = catchThrowableOfType(
                () -> release.release(changeSetId, id, releasing.releaser(), changes, RestartMode.EVENTS),
                ApiException.class);
        assertThat(closed).isNotNull();
        assertThat(closed.errorCode()).isEqualTo(ErrorCode.CHANGE_SET_CLOSED);
        assertThat(ok(admin.get(RACES + "/secrets/STALLED"))
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM restart_event WHERE change_set_ids LIKE '%" + changeSetId + "%'"))
                .isZero();
        // The draft stays whole: it may be released again, under a new change-set.
        JsonNode released =
                ok(admin.post(RACES + "/change-sets/" + id + "/release", null)).json();
        assertThat(released.path("state").asText()).isEqualTo("released");
        assertThat(ok(admin.get(RACES + "/secrets/STALLED"))
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void aCommittedReleaseIsLeftToItsReleaserWithinTheLeaseAndOtherwiseShowsTheRestartsItRecorded() throws Exception {
        ok(admin.put(RACES + "/secrets/ROTATED", json("value", "old")));
        String id = create(admin, "races");
        ok(admin.put(RACES + "/secrets/ROTATED?changeSet=" + id, json("value", "new", "expectedVersion", 1)));
        Project project = catalog.requireProject("races");
        String changeSetId = UUID.randomUUID().toString();
        Draft releasing = claim(project, id, changeSetId);
        MultiScopeRelease.Released committed = release.release(
                changeSetId, id, releasing.releaser(), views.changes(releasing, operations(id)), RestartMode.EVENTS);
        assertThat(committed.restarts()).hasSize(2);

        // The releaser has not recorded its answer yet, and is within its lease: the view leaves it be.
        assertThat(ok(admin.get(RACES + "/change-sets/" + id))
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("releasing");
        // Asked again with the same id, the release answers the restarts it recorded.
        MultiScopeRelease.Released replayed = release.release(
                changeSetId, id, releasing.releaser(), views.changes(releasing, operations(id)), RestartMode.EVENTS);
        assertThat(replayed.replayed()).isTrue();
        assertThat(replayed.restarts()).containsExactlyInAnyOrderElementsOf(committed.restarts());

        // The releaser died: past its lease the draft follows its change-set, with the restarts it made.
        execute("UPDATE change_set_draft SET releasing_since = releasing_since - INTERVAL 10 MINUTE WHERE id = '" + id
                + "'");
        JsonNode settled = ok(admin.get(RACES + "/change-sets/" + id)).json();
        assertThat(settled.path("state").asText()).isEqualTo("released");
        assertThat(settled.path("restart").path("events").asInt()).isEqualTo(2);
        assertThat(settled.path("restart").path("deployments").findValuesAsText("service"))
                .containsOnly("api");
    }

    @Test
    void theAuthorsApprovalStopsCountingOnceTheDraftReachesATypeThatForbidsIt() {
        String approvals = "/v1/projects/approvals";
        ok(admin.put(approvals + "/approval-rules/staging", json("approvals", 1, "authorMayApprove", true)));
        ok(admin.put(approvals + "/approval-rules/production", json("approvals", 1, "authorMayApprove", false)));
        ApiClient carol = admin.withToken(projectAdmin("approvals", "carol"));
        ok(carol.put(approvals + "/secrets/REACH", json("value", "old")));
        String id = create(carol, "approvals");
        ok(carol.put(approvals + "/secrets/REACH?changeSet=" + id, json("value", "new", "expectedVersion", 1)));
        // Staging only, whose rule lets the author approve.
        JsonNode approved = ok(carol.post(approvals + "/change-sets/" + id + "/approve", null))
                .json();
        assertThat(approved.path("approval").path("satisfied").asBoolean()).isTrue();

        // Same revision, but the project-scope key now reaches production too.
        ok(admin.put(approvals + "/environments/production", json("type", "production")));
        JsonNode now = ok(carol.get(approvals + "/change-sets/" + id)).json();
        assertThat(now.path("revision").asInt())
                .isEqualTo(approved.path("revision").asInt());
        assertThat(now.path("approval").path("granted").asInt()).isZero();
        assertProblem(carol.post(approvals + "/change-sets/" + id + "/release", null), 409, "approval-required");
        assertThat(ok(carol.get(approvals + "/secrets/REACH"))
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void anApprovalOfARevisionTheDraftHasMovedOnFromIsAConcurrentChange() {
        String id = create(alice, "races");
        ok(alice.put(RACES + "/secrets/REVIEWED?changeSet=" + id, json("value", "first")));
        int reviewed = ok(bob.get(RACES + "/change-sets/" + id))
                .json()
                .path("revision")
                .asInt();
        ok(alice.put(RACES + "/secrets/REVIEWED?changeSet=" + id, json("value", "second")));

        Answer stale = bob.post(RACES + "/change-sets/" + id + "/approve", json("revision", reviewed));
        assertProblem(stale, 409, "concurrent-change");
        assertThat(stale.json().path("revision").asInt()).isEqualTo(reviewed + 1);
        assertThat(ok(bob.get(RACES + "/change-sets/" + id)).json().path("approvals"))
                .isEmpty();

        JsonNode approved = ok(bob.post(RACES + "/change-sets/" + id + "/approve", json("revision", reviewed + 1)))
                .json();
        assertThat(approved.path("approval").path("granted").asInt()).isEqualTo(1);
        assertProblem(bob.post(RACES + "/change-sets/" + id + "/approve", json("revision", 0)), 400, "invalid-request");
    }

    @Test
    void aDeleteStagedBeforeAServiceRequiredTheKeyIsRefusedAtReleaseUnlessForced() {
        ok(admin.put(RACES + "/secrets/REQUIRED_LATER", json("value", "kept")));
        ok(admin.put(RACES + "/secrets/FORCED_LATER", json("value", "dropped")));
        String id = create(admin, "races");
        ok(admin.send("DELETE", RACES + "/secrets/REQUIRED_LATER?changeSet=" + id, null, Map.of()));
        String forced = create(admin, "races");
        ok(admin.send("DELETE", RACES + "/secrets/FORCED_LATER?changeSet=" + forced + "&force=true", null, Map.of()));
        ok(admin.put(RACES + "/services/api/requirements", json("keys", List.of("REQUIRED_LATER", "FORCED_LATER"))));

        assertProblem(admin.post(RACES + "/change-sets/" + id + "/release", null), 409, "requirement-unresolved");
        assertThat(ok(admin.get(RACES + "/change-sets/" + id))
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("draft");
        assertThat(admin.get(RACES + "/secrets/REQUIRED_LATER").status()).isEqualTo(200);

        assertThat(ok(admin.post(RACES + "/change-sets/" + forced + "/release", null))
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("released");
        assertThat(admin.get(RACES + "/secrets/FORCED_LATER").status()).isEqualTo(404);
    }

    @Test
    void aReleaseHeldByAMarkerNoReconcilerCanFreeGivesUpWithinTheLockWait() throws Exception {
        ok(admin.put(RACES + "/environments/stuck", json("type", "development")));
        ok(admin.put(RACES + "/environments/stuck/secrets/HELD", json("value", "old")));
        String id = create(admin, "races");
        ok(admin.put(
                RACES + "/environments/stuck/secrets/HELD?changeSet=" + id,
                json("value", "new", "expectedVersion", 1)));
        // A marker left abandoned by a change-set the reconciler cannot settle (not pending: here, unknown).
        execute("UPDATE scope_entry SET pending_change_set = '" + UUID.randomUUID()
                + "', pending_since = NOW(), pending_abandoned = TRUE WHERE entry_path LIKE '%races/env/stuck'");

        Answer busy = assertTimeoutPreemptively(
                Duration.ofSeconds(60), () -> admin.post(RACES + "/change-sets/" + id + "/release", null));
        assertProblem(busy, 409, "scope-busy");
        assertThat(ok(admin.get(RACES + "/change-sets/" + id))
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("draft");
    }

    @Test
    void aNotBeforeMySqlCannotHoldAndARuleWithoutApprovalsAreBadRequests() {
        String id = create(admin, "races");
        ok(admin.put(RACES + "/secrets/LATE?changeSet=" + id, json("value", "late")));
        assertProblem(
                admin.post(RACES + "/change-sets/" + id + "/release", json("notBefore", "9999-12-31T23:59:59.500Z")),
                400,
                "invalid-request");

        Answer missing = admin.put("/v1/projects/approvals/approval-rules/preview", json());
        assertProblem(missing, 400, "invalid-request");
        assertThat(missing.json().path("detail").asText()).contains("approvals").doesNotContain("-1");
    }

    /** What a releasing gateway does first: takes the draft with the id of the change-set it will apply. */
    private Draft claim(Project project, String id, String changeSetId) {
        Draft draft = drafts.require(project, id);
        boolean taken = transactions.executeWrite(status -> rows.claim(
                id,
                Set.of(DraftState.DRAFT),
                draft.revision(),
                null,
                changeSetId,
                new ReleaseRequest("root", "root", "req-" + changeSetId),
                databaseClock.now()));
        assertThat(taken).isTrue();
        return drafts.require(project, id);
    }

    private List<DraftOperation> operations(String id) {
        return transactions.executeRead(status -> rows.operations(id));
    }

    private String create(ApiClient client, String project) {
        Answer created = client.post("/v1/projects/" + project + "/change-sets", json("description", "review fixes"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private String projectAdmin(String project, String name) {
        Answer minted = admin.post(
                "/v1/projects/" + project + "/operator-tokens",
                json("role", "project-admin", "name", name, "ttlSeconds", 3600));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
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
