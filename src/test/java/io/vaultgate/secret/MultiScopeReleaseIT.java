package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.access.Actor;
import io.vaultgate.scope.Scope;
import io.vaultgate.testing.RealParts;
import io.vaultgate.values.SecretValue;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.RestartMode;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A change-set draft's release on real OpenBao and MariaDB: keys at project, environment and
 * service scope applied as one change-set, one restart event per affected deployment naming all
 * its keys, an override that keeps a deployment out of it, and conflicts answered all at once.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiScopeReleaseIT extends GatewayTest {

    private static final Actor ACTOR = new Actor("release-accessor", "releaser", "release-request");

    @Inject
    MultiScopeRelease release;

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("vaultgate.vault.uri", vaultThroughRelay());
        properties.put("vaultgate.reconciler.interval", "1h");
        properties.put("vaultgate.auth.cache-ttl", "10m");
        return properties;
    }

    @BeforeAll
    void createClient() {
        api = admin();
    }

    /**
     * prod/api inherits all three scopes; prod/worker overrides A at its own scope; staging/api
     * inherits the project and the api service; staging/worker overrides A and inherits neither
     * the prod environment nor the api service.
     */
    private void catalog(String project) {
        String p = "/v1/projects/" + project;
        ok(api.put(p, null));
        ok(api.put(p + "/environments/prod", json("type", "production")));
        ok(api.put(p + "/environments/staging", json("type", "staging")));
        ok(api.put(p + "/services/api", null));
        ok(api.put(p + "/services/worker", null));
        for (String deployment : List.of(
                "prod/services/api", "prod/services/worker", "staging/services/api", "staging/services/worker")) {
            ok(api.put(p + "/environments/" + deployment, null));
        }
        ok(api.put(p + "/secrets/A", json("value", "a1")));
        ok(api.put(p + "/environments/prod/secrets/B", json("value", "b1")));
        ok(api.put(p + "/services/api/secrets/C", json("value", "c1")));
        ok(api.put(p + "/environments/prod/services/worker/secrets/A", json("value", "worker-a")));
        ok(api.put(p + "/environments/staging/services/worker/secrets/A", json("value", "worker-a")));
    }

    private static List<StagedChange> rotation(String project, String suffix, int a, int b, int c) {
        return List.of(
                new StagedChange(Scope.project(project), "A", new SecretValue("a" + suffix), a),
                new StagedChange(Scope.environment(project, "prod"), "B", new SecretValue("b" + suffix), b),
                new StagedChange(Scope.service(project, "api"), "C", new SecretValue("c" + suffix), c));
    }

    @Test
    void threeKeysAtThreeScopesAreOneChangeSetWithOneRestartEventPerAffectedDeployment() throws Exception {
        catalog("rot");
        String id = UUID.randomUUID().toString();

        MultiScopeRelease.Released released =
                release.release(id, "draft-1", ACTOR, rotation("rot", "2", 1, 1, 1), RestartMode.EVENTS);

        assertThat(released.replayed()).isFalse();
        assertThat(released.keys())
                .extracting(k -> k.scope() + " " + k.key() + " " + k.operation() + " " + k.version())
                .containsExactlyInAnyOrder(
                        "/v1/projects/rot A update 2",
                        "/v1/projects/rot/environments/prod B update 2",
                        "/v1/projects/rot/services/api C update 2");
        assertThat(restarts(released.restarts()))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "prod/api", List.of("A", "B", "C"),
                        "prod/worker", List.of("B"),
                        "staging/api", List.of("A", "C")));
        assertThat(eventsOf(id))
                .as("one restart_event per affected deployment, naming all its keys; staging/worker none")
                .isEqualTo(new TreeMap<>(Map.of(
                        "prod/api", "A,B,C",
                        "prod/worker", "B",
                        "staging/api", "A,C")));
        assertThat(release.state(id)).isEqualTo(MultiScopeRelease.ReleaseState.COMMITTED);

        JsonNode prodApi = resolved("rot", "prod", "api");
        assertThat(source(prodApi, "A")).isEqualTo("/v1/projects/rot v2");
        assertThat(source(prodApi, "B")).isEqualTo("/v1/projects/rot/environments/prod v2");
        assertThat(source(prodApi, "C")).isEqualTo("/v1/projects/rot/services/api v2");
        assertThat(source(resolved("rot", "prod", "worker"), "A"))
                .isEqualTo("/v1/projects/rot/environments/prod/services/worker v1");
        assertThat(vaultEntry("rot").path("data").path("A").asText()).isEqualTo("a2");
        assertThat(vaultEntry("rot/env/prod").path("data").toString()).contains(id);
        assertThat(count("SELECT COUNT(*) FROM scope_entry WHERE pending_change_set IS NOT NULL"))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'change-set.release' AND change_set_id = '" + id
                        + "' AND scope = '/v1/projects/rot/change-sets/draft-1' AND outcome = 'succeeded'"))
                .isEqualTo(1);
    }

    @Test
    void aSecondReleaseWithTheSameIdAnswersTheFirstAndRecordsNothingMore() throws Exception {
        catalog("again");
        String id = UUID.randomUUID().toString();
        release.release(id, "draft-2", ACTOR, rotation("again", "2", 1, 1, 1), RestartMode.EVENTS);

        MultiScopeRelease.Released replay =
                release.release(id, "draft-2", ACTOR, rotation("again", "2", 1, 1, 1), RestartMode.EVENTS);

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.keys())
                .extracting(MultiScopeRelease.KeyResult::version)
                .containsOnly(2);
        assertThat(eventsOf(id)).hasSize(3);
        assertThat(count("SELECT COUNT(*) FROM secret_version WHERE change_set_id = '" + id + "'"))
                .isEqualTo(3);
    }

    @Test
    void restartNoneRecordsNoEvent() throws Exception {
        catalog("quiet");
        String id = UUID.randomUUID().toString();

        MultiScopeRelease.Released released =
                release.release(id, "draft-3", ACTOR, rotation("quiet", "2", 1, 1, 1), RestartMode.NONE);

        assertThat(released.restarts()).isEmpty();
        assertThat(eventsOf(id)).isEmpty();
        assertThat(source(resolved("quiet", "prod", "api"), "B")).isEqualTo("/v1/projects/quiet/environments/prod v2");
    }

    @Test
    void aConflictNamesEveryChangedKeyAndWritesNothing() throws Exception {
        catalog("clash");
        ok(api.put("/v1/projects/clash/secrets/A", json("value", "moved")));
        ok(api.put("/v1/projects/clash/services/api/secrets/C", json("value", "moved")));
        int projectVersion = vaultVersion("clash");
        int environmentVersion = vaultVersion("clash/env/prod");
        List<StagedChange> changes = List.of(
                new StagedChange(Scope.project("clash"), "A", new SecretValue("a2"), 1),
                new StagedChange(Scope.environment("clash", "prod"), "B", new SecretValue("b2"), 1),
                new StagedChange(Scope.service("clash", "api"), "C", new SecretValue("c2"), 1),
                new StagedChange(Scope.service("clash", "api"), "GONE", null, 0));
        String id = UUID.randomUUID().toString();

        assertThatThrownBy(() -> release.release(id, "draft-4", ACTOR, changes, RestartMode.EVENTS))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CHANGE_SET_CONFLICT);
                    assertThat(e.errorCode().status().getCode()).isEqualTo(409);
                    assertThat(e.extensions().get("details").toString())
                            .contains("scope=/v1/projects/clash, key=A, reviewedVersion=1, currentVersion=2")
                            .contains(
                                    "scope=/v1/projects/clash/services/api, key=C, reviewedVersion=1, currentVersion=2")
                            .contains("key=GONE, reviewedVersion=0, currentVersion=0")
                            .doesNotContain("key=B");
                });

        assertThat(vaultVersion("clash")).isEqualTo(projectVersion);
        assertThat(vaultVersion("clash/env/prod")).isEqualTo(environmentVersion);
        assertThat(release.state(id)).isEqualTo(MultiScopeRelease.ReleaseState.NONE);
        assertThat(count("SELECT COUNT(*) FROM scope_entry WHERE pending_change_set IS NOT NULL"))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'change-set.release' "
                        + "AND outcome = 'refused' AND error_code = 'change-set-conflict'"))
                .isEqualTo(1);
    }

    @Test
    void aBadChangeListIsRefusedBeforeAnythingIsRecorded() {
        catalog("bad");
        assertThatThrownBy(
                        () -> release.release(UUID.randomUUID().toString(), "d", ACTOR, List.of(), RestartMode.EVENTS))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        List<StagedChange> twoProjects = List.of(
                new StagedChange(Scope.project("bad"), "A", new SecretValue("x"), 1),
                new StagedChange(Scope.project("rot"), "A", new SecretValue("x"), 1));
        assertThatThrownBy(() ->
                        release.release(UUID.randomUUID().toString(), "d", ACTOR, twoProjects, RestartMode.EVENTS))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        List<StagedChange> missing =
                List.of(new StagedChange(Scope.environment("bad", "nowhere"), "A", new SecretValue("x"), 0));
        assertThatThrownBy(() -> release.release(UUID.randomUUID().toString(), "d", ACTOR, missing, RestartMode.EVENTS))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENVIRONMENT_NOT_FOUND));
    }

    @Test
    void theImpactAtReviewIsTheRestartsTheReleaseRecords() {
        catalog("review");

        List<MultiScopeRelease.AffectedDeployment> impact = release.impact("review", rotation("review", "2", 1, 1, 1));

        assertThat(restarts(impact))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "prod/api", List.of("A", "B", "C"),
                        "prod/worker", List.of("B"),
                        "staging/api", List.of("A", "C")));
        assertThat(release.impact(
                        "review", List.of(new StagedChange(Scope.project("review"), "A", new SecretValue("a1"), 1))))
                .as("setting the value a key has restarts nobody")
                .isEmpty();
    }

    @Test
    void aReleaseWaitsForAWriteThatHoldsOneOfItsScopesThenApplies() throws Exception {
        catalog("busy");
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            Future<Answer> single;
            Future<MultiScopeRelease.Released> released;
            String id = UUID.randomUUID().toString();
            vaultRelay().holdAnswers();
            try {
                single = writers.submit(
                        () -> api.put("/v1/projects/busy/environments/prod/secrets/D", json("value", "d")));
                awaitCount("SELECT COUNT(*) FROM change_set WHERE status = 'pending'");
                released = writers.submit(() ->
                        release.release(id, "draft-5", ACTOR, rotation("busy", "2", 1, 1, 1), RestartMode.EVENTS));
                Thread.sleep(500);
                assertThat(released.isDone())
                        .as("the release waits for the scope")
                        .isFalse();
            } finally {
                vaultRelay().releaseAnswers();
            }
            assertThat(single.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
            assertThat(released.get(30, TimeUnit.SECONDS).keys()).hasSize(3);
            assertThat(release.state(id)).isEqualTo(MultiScopeRelease.ReleaseState.COMMITTED);
        } finally {
            writers.shutdownNow();
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Map<String, String> eventsOf(String changeSetId) throws Exception {
        Map<String, String> events = new TreeMap<>();
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT environment, service, key_names FROM restart_event WHERE change_set_ids LIKE '%"
                                + changeSetId + "%'")) {
            while (rows.next()) {
                String deployment = rows.getString(1) + "/" + rows.getString(2);
                assertThat(events.put(deployment, rows.getString(3)))
                        .as("a second event for " + deployment)
                        .isNull();
            }
        }
        return events;
    }

    private static Map<String, List<String>> restarts(List<MultiScopeRelease.AffectedDeployment> deployments) {
        Map<String, List<String>> restarts = new HashMap<>();
        deployments.forEach(d -> restarts.put(d.environment() + "/" + d.service(), List.copyOf(d.keys())));
        return restarts;
    }

    private JsonNode resolved(String project, String environment, String service) {
        Answer answer = api.get(
                "/v1/projects/" + project + "/environments/" + environment + "/services/" + service + "/resolved");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static String source(JsonNode resolution, String key) {
        for (JsonNode candidate : resolution.path("keys")) {
            if (candidate.path("key").asText().equals(key)) {
                JsonNode source = candidate.path("source");
                return source.path("scope").asText() + " v"
                        + source.path("version").asInt();
            }
        }
        return null;
    }

    private int vaultVersion(String entryPath) {
        JsonNode entry = vaultEntry(entryPath);
        return entry == null ? 0 : entry.path("metadata").path("version").asInt();
    }

    private void awaitCount(String countQuery) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (count(countQuery) == 0) {
            assertThat(System.nanoTime()).as(countQuery).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
