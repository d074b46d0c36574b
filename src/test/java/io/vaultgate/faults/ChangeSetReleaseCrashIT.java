package io.vaultgate.faults;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.TcpProxy;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.secret.MultiScopeRelease;
import io.vaultgate.secret.Reconciler;
import io.vaultgate.testing.GatewayProcess;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The reviewer's check, on real OpenBao and MariaDB: a gateway in its own JVM is killed with
 * SIGKILL in the middle of releasing a change-set draft that rotates keys at project,
 * environment and service scope, and a second gateway's reconciler settles the release whole.
 * OpenBao's answers are held through a relay from the moment a chosen scope's write is sent (it
 * lands; the first gateway never hears of it), then the first gateway dies. Killed after the
 * environment's write, the service's never happened: nothing of the release may be served and no
 * restart recorded. Killed after the service's write, every scope holds it: all of it is served,
 * with one restart event for the deployment that inherits the three scopes.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeSetReleaseCrashIT extends GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Reconciler reconciler;

    @Inject
    MultiScopeRelease release;

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("vaultgate.reconciler.interval", "1h");
        properties.put("vaultgate.reconciler.stale-after", "2s");
        properties.put("vaultgate.auth.cache-ttl", "10m");
        return properties;
    }

    @BeforeAll
    void createClient() {
        api = admin();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killedBeforeTheLastScopesWriteTheReleaseIsUndoneWhole() throws Exception {
        String token = catalog("crashundo");
        String changeSetId = releaseAndKill("crashundo", "env/prod");

        assertThat(vaultEntry("crashundo/env/prod").path("data").toString())
                .as("the environment's write landed before the kill")
                .contains(changeSetId);
        assertThat(vaultEntry("crashundo/svc/api").path("data").toString()).doesNotContain(changeSetId);
        settle(changeSetId);

        assertThat(release.state(changeSetId)).isEqualTo(MultiScopeRelease.ReleaseState.ABORTED);
        assertThat(bootFetch(token))
                .containsEntry("A", "a1")
                .containsEntry("B", "b1")
                .containsEntry("C", "c1");
        assertThat(sources("crashundo")).containsValues("v1").doesNotContainValue("v2");
        assertThat(eventsOf(changeSetId)).isEmpty();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killedAfterEveryScopesWriteTheReleaseIsFinishedWholeWithOneRestartEvent() throws Exception {
        String token = catalog("crashdone");
        String changeSetId = releaseAndKill("crashdone", null);

        for (String entry : new String[] {"crashdone", "crashdone/env/prod", "crashdone/svc/api"}) {
            assertThat(vaultEntry(entry).path("data").toString()).as(entry).contains(changeSetId);
        }
        settle(changeSetId);

        assertThat(release.state(changeSetId)).isEqualTo(MultiScopeRelease.ReleaseState.COMMITTED);
        assertThat(bootFetch(token))
                .containsEntry("A", "a2")
                .containsEntry("B", "b2")
                .containsEntry("C", "c2");
        assertThat(sources("crashdone")).containsOnly(Map.entry("A", "v2"), Map.entry("B", "v2"), Map.entry("C", "v2"));
        assertThat(eventsOf(changeSetId)).isEqualTo(new TreeMap<>(Map.of("prod/api", "A,B,C")));
    }

    /**
     * Stages the rotation, releases it through a gateway in its own JVM whose OpenBao answers are
     * held from the write of {@code holdFrom} (an entry path below the project; null: from the
     * request after the last write, the commit being MySQL's), and kills that gateway. Answers the
     * applied change-set's id.
     */
    private String releaseAndKill(String project, String holdFrom) throws Exception {
        String p = "/v1/projects/" + project;
        Answer draft = api.post(p + "/change-sets", json("description", "rotate"));
        assertThat(draft.status()).as(draft.toString()).isEqualTo(201);
        String draftId = draft.json().path("id").asText();
        staged(api.send("PUT", p + "/secrets/A?changeSet=" + draftId, json("value", "a2"), Map.of()));
        staged(api.send("PUT", p + "/environments/prod/secrets/B?changeSet=" + draftId, json("value", "b2"), Map.of()));
        staged(api.send("PUT", p + "/services/api/secrets/C?changeSet=" + draftId, json("value", "c2"), Map.of()));

        URI vault = URI.create(stack().vaultAddress());
        Path log = Files.createTempFile("crash-gateway", ".log");
        try (TcpProxy relay = new TcpProxy(vault.getHost(), vault.getPort())) {
            Map<String, String> properties = new HashMap<>(stack().gatewayProperties());
            properties.remove("vaultgate.vault.token");
            properties.remove("micronaut.server.port");
            properties.put("vaultgate.vault.uri", "http://127.0.0.1:" + relay.port());
            properties.put("vaultgate.reconciler.interval", "1h");
            properties.put("vaultgate.reconciler.stale-after", "1h");
            GatewayProcess doomed =
                    GatewayProcess.start(properties, Map.of("VAULT_TOKEN", stack().gatewayToken()), log);
            try {
                String written = "/v1/" + stack().kvMount() + "/data/" + stack().pathPrefix() + "/" + project;
                if (holdFrom == null) {
                    // Held from the service's write on, its answer included: every write has landed.
                    relay.holdAnswersFrom("POST " + written + "/svc/api ");
                } else {
                    relay.holdAnswersFrom("POST " + written + "/" + holdFrom + " ");
                }
                ApiClient viaDoomed = new ApiClient(doomed.address(), stack().adminToken());
                CompletableFuture<Answer> releasing = CompletableFuture.supplyAsync(
                        () -> viaDoomed.post(p + "/change-sets/" + draftId + "/release", null));
                String changeSetId = awaitPendingRelease(draftId);
                if (holdFrom != null) {
                    awaitHeld(relay);
                } else {
                    awaitTagged(project + "/svc/api", changeSetId);
                }
                doomed.kill();
                assertThat(doomed.awaitExit(Duration.ofSeconds(30))).isTrue();
                relay.releaseAnswers();
                releasing.handle((answer, failure) -> null).get(60, TimeUnit.SECONDS);
                return changeSetId;
            } finally {
                relay.releaseAnswers();
                doomed.close();
            }
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    /**
     * Runs the reconciler's scheduled pass until it has settled the release, as its schedule
     * would: a pass that cannot settle it yet (a slow value store on a loaded machine) leaves it
     * for the next one.
     */
    private void settle(String changeSetId) throws Exception {
        assertThat(release.state(changeSetId))
                .as("left pending by the kill")
                .isEqualTo(MultiScopeRelease.ReleaseState.PENDING);
        Thread.sleep(2_500); // stale-after on this gateway: its writer is presumed gone
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (reconciler.settleStale() == 0 && release.state(changeSetId) == MultiScopeRelease.ReleaseState.PENDING) {
            assertThat(System.nanoTime())
                    .as("a reconciler pass settled the release")
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

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

    /** The id of the draft's release once it is recorded as pending (another test's is not it). */
    private String awaitPendingRelease(String draftId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection connection = database();
                    PreparedStatement statement = connection.prepareStatement(
                            "SELECT id FROM change_set WHERE action = 'change-set.release' AND status = 'pending'"
                                    + " AND draft_id = ?")) {
                statement.setString(1, draftId);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        return rows.getString(1);
                    }
                }
            }
            assertThat(System.nanoTime()).as("the release began").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitHeld(TcpProxy relay) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!relay.answersHeld()) {
            assertThat(System.nanoTime()).as("the chosen write was sent").isLessThan(deadline);
            Thread.sleep(20);
        }
        Thread.sleep(500); // OpenBao takes the write it was sent
    }

    private void awaitTagged(String entryPath, String changeSetId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode entry = vaultEntry(entryPath);
            if (entry != null && entry.path("data").toString().contains(changeSetId)) {
                return;
            }
            assertThat(System.nanoTime()).as("the last write landed").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Map<String, String> bootFetch(String token) throws IOException {
        EnvClient.Fetch fetch = new EnvClient(URI.create(server.getURL().toString())).fetch(token);
        assertThat(fetch.status()).as(fetch.toString()).isEqualTo(200);
        Map<String, String> values = new TreeMap<>();
        JSON.readTree(fetch.body())
                .fields()
                .forEachRemaining(f -> values.put(f.getKey(), f.getValue().asText()));
        return values;
    }

    private Map<String, String> sources(String project) {
        Answer answer = api.get("/v1/projects/" + project + "/environments/prod/services/api/resolved");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        Map<String, String> sources = new TreeMap<>();
        for (JsonNode key : answer.json().path("keys")) {
            sources.put(
                    key.path("key").asText(),
                    "v" + key.path("source").path("version").asInt());
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

    private static void staged(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
