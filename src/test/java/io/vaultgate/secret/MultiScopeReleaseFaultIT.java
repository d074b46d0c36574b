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
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.scope.Scope;
import io.vaultgate.testing.RealParts;
import io.vaultgate.values.SecretValue;
import io.vaultgate.web.RestartMode;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A release that fails half-way, on real OpenBao and MariaDB: all or nothing, no acknowledged part
 * lost. The value-store side fails through a relay cut right before the second scope's write (the
 * first scope's write has landed); the MySQL side fails at the final commit, after every scope's
 * write landed. Readers never serve a version MySQL has not acknowledged, and the reconciler
 * settles the release whole.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiScopeReleaseFaultIT extends GatewayTest {

    private static final Actor ACTOR = new Actor("release-accessor", "releaser", "release-request");

    @Inject
    MultiScopeRelease release;

    @Inject
    Reconciler reconciler;

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("vaultgate.vault.uri", vaultThroughRelay());
        properties.put("vaultgate.reconciler.interval", "1h");
        properties.put("vaultgate.reconciler.stale-after", "1h");
        properties.put("vaultgate.auth.cache-ttl", "10m");
        return properties;
    }

    @BeforeAll
    void createClient() {
        api = admin();
    }

    /** One deployment, prod/api, that inherits a key from each of the three scopes. */
    private String catalog(String project) {
        String p = "/v1/projects/" + project;
        ok(api.put(p, null));
        ok(api.put(p + "/environments/prod", json("type", "production")));
        ok(api.put(p + "/services/api", null));
        ok(api.put(p + "/environments/prod/services/api", null));
        ok(api.put(p + "/secrets/A", json("value", "a1")));
        ok(api.put(p + "/environments/prod/secrets/B", json("value", "b1")));
        ok(api.put(p + "/services/api/secrets/C", json("value", "c1")));
        Answer minted = api.post(p + "/environments/prod/services/api/tokens", json());
        assertThat(minted.status()).as(minted.toString()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private static List<StagedChange> rotation(String project) {
        return List.of(
                new StagedChange(Scope.project(project), "A", new SecretValue("a2"), 1),
                new StagedChange(Scope.environment(project, "prod"), "B", new SecretValue("b2"), 1),
                new StagedChange(Scope.service(project, "api"), "C", new SecretValue("c2"), 1));
    }

    @Test
    void aReleaseCutAfterItsFirstScopeLandedServesNothingOfItAndIsAbortedWhole() throws Exception {
        String token = catalog("cut");
        int projectVersion = vaultVersion("cut");
        String id = UUID.randomUUID().toString();
        // Entry-path order: the project's entry is written first, the environment's second.
        vaultRelay().cutBefore("POST /v1/" + stack().kvMount() + "/data/" + stack().pathPrefix() + "/cut/env/prod ");

        try {
            assertThatThrownBy(() -> release.release(id, "draft-cut", ACTOR, rotation("cut"), RestartMode.EVENTS))
                    .isInstanceOf(RuntimeException.class);
        } finally {
            vaultRelay().restore();
        }

        assertThat(vaultEntry("cut").path("data").path("A").asText())
                .as("the project scope's write landed")
                .isEqualTo("a2");
        assertThat(vaultVersion("cut")).isEqualTo(projectVersion + 1);
        assertThat(vaultEntry("cut/env/prod").path("data").path("B").asText()).isEqualTo("b1");
        assertThat(release.state(id)).isEqualTo(MultiScopeRelease.ReleaseState.PENDING);
        assertThat(bootFetch(token))
                .as("a boot fetch serves the acknowledged versions of every scope")
                .containsEntry("A", "a1")
                .containsEntry("B", "b1")
                .containsEntry("C", "c1");
        assertThat(sources("cut"))
                .as("resolved shows every scope as acknowledged")
                .containsEntry("A", "/v1/projects/cut v1")
                .containsEntry("B", "/v1/projects/cut/environments/prod v1")
                .containsEntry("C", "/v1/projects/cut/services/api v1");
        assertThat(release.impact(
                        "cut", List.of(new StagedChange(Scope.project("cut"), "A", new SecretValue("a1"), 1))))
                .as("impact compares against the acknowledged a1, not the landed a2")
                .isEmpty();

        // An ordinary write to the environment meets the release's abandoned marker and settles it
        // through the reconciler: not every scope holds the release, so it is aborted whole.
        ok(api.put("/v1/projects/cut/environments/prod/secrets/B", json("value", "b3")));

        assertThat(release.state(id)).isEqualTo(MultiScopeRelease.ReleaseState.ABORTED);
        assertThat(count("SELECT COUNT(*) FROM scope_entry WHERE pending_change_set IS NOT NULL"))
                .isZero();
        assertThat(eventsOf(id)).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM secret_version WHERE change_set_id = '" + id + "'"))
                .isZero();
        ok(api.put("/v1/projects/cut/secrets/A", json("value", "a3")));
        ok(api.put("/v1/projects/cut/services/api/secrets/C", json("value", "c3")));
        assertThat(vaultVersion("cut"))
                .as("the next write builds past the unacknowledged version")
                .isEqualTo(projectVersion + 2);
        assertThat(bootFetch(token))
                .containsEntry("A", "a3")
                .containsEntry("B", "b3")
                .containsEntry("C", "c3");
        assertThat(sources("cut")).containsEntry("A", "/v1/projects/cut v2");
    }

    @Test
    void aReleaseWhoseFinalCommitFailsIsRolledForwardWholeByTheReconcilerWithItsEventsOnce() throws Exception {
        String token = catalog("fwd");
        String id = UUID.randomUUID().toString();
        execute("CREATE TRIGGER fail_release_commit BEFORE UPDATE ON change_set FOR EACH ROW BEGIN "
                + "IF NEW.id = '" + id + "' AND NEW.status = 'committed' THEN "
                + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'; END IF; END");
        try {
            assertThatThrownBy(() -> release.release(id, "draft-fwd", ACTOR, rotation("fwd"), RestartMode.EVENTS))
                    .isInstanceOf(RuntimeException.class);
        } finally {
            execute("DROP TRIGGER fail_release_commit");
        }

        for (String entry : List.of("fwd", "fwd/env/prod", "fwd/svc/api")) {
            assertThat(vaultEntry(entry).path("data").toString())
                    .as("every scope holds the release: " + entry)
                    .contains(id);
        }
        assertThat(release.state(id)).isEqualTo(MultiScopeRelease.ReleaseState.PENDING);
        assertThat(bootFetch(token))
                .as("nothing of it is served before MySQL acknowledges it")
                .containsEntry("A", "a1")
                .containsEntry("B", "b1")
                .containsEntry("C", "c1");
        assertThat(eventsOf(id)).isEmpty();

        assertThat(reconciler.settleStale())
                .as("the abandoned release is settled")
                .isEqualTo(1);
        reconciler.settle(id);

        assertThat(release.state(id)).isEqualTo(MultiScopeRelease.ReleaseState.COMMITTED);
        assertThat(eventsOf(id)).isEqualTo(new TreeMap<>(Map.of("prod/api", "A,B,C")));
        assertThat(bootFetch(token))
                .containsEntry("A", "a2")
                .containsEntry("B", "b2")
                .containsEntry("C", "c2");
        assertThat(sources("fwd"))
                .containsEntry("A", "/v1/projects/fwd v2")
                .containsEntry("B", "/v1/projects/fwd/environments/prod v2")
                .containsEntry("C", "/v1/projects/fwd/services/api v2");
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'change-set.release' AND change_set_id = '" + id
                        + "' AND outcome = 'completed-by-reconciler'"))
                .isEqualTo(1);
        MultiScopeRelease.Released replay =
                release.release(id, "draft-fwd", ACTOR, rotation("fwd"), RestartMode.EVENTS);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.keys())
                .extracting(MultiScopeRelease.KeyResult::version)
                .containsOnly(2);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Map<String, String> bootFetch(String token) {
        EnvClient.Fetch fetch = new EnvClient(URI.create(server.getURL().toString())).fetch(token);
        assertThat(fetch.status()).as(fetch.toString()).isEqualTo(200);
        Map<String, String> values = new TreeMap<>();
        JsonNode body;
        try {
            body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fetch.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        body.fields()
                .forEachRemaining(
                        field -> values.put(field.getKey(), field.getValue().asText()));
        return values;
    }

    private Map<String, String> sources(String project) {
        Answer answer = api.get("/v1/projects/" + project + "/environments/prod/services/api/resolved");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        Map<String, String> sources = new TreeMap<>();
        for (JsonNode key : answer.json().path("keys")) {
            JsonNode source = key.path("source");
            sources.put(
                    key.path("key").asText(),
                    source.path("scope").asText() + " v"
                            + source.path("version").asInt());
        }
        return sources;
    }

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

    private int vaultVersion(String entryPath) {
        JsonNode entry = vaultEntry(entryPath);
        return entry == null ? 0 : entry.path("metadata").path("version").asInt();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
