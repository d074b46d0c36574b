package io.vaultgate.changeset;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.TcpProxy;
import io.vaultgate.testing.GatewayProcess;
import io.vaultgate.testing.RealParts;
import io.vaultgate.testing.RealStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The draft's side of "kill the gateway mid-release" (faults.ChangeSetReleaseCrashIT is the write
 * protocol's side, with each outcome forced): the one gateway, in its own JVM with OpenBao behind
 * a relay, is killed -9 once a scope's write of the release has landed and OpenBao's answers are
 * held; started again, its reconciler settles the change-set and its release job makes the draft
 * follow: {@code released} with every scope new, or back to {@code draft} with
 * {@code lastReleaseFailure} and every scope old, as boot fetch and {@code resolved} serve them,
 * restart events all or none.
 */
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeSetDraftCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "/v1/projects/crash";
    private static final List<String> SCOPES = List.of("crash", "crash/env/production", "crash/svc/api");

    private RealStack stack;
    private TcpProxy relay;
    private GatewayProcess gateway;
    private Path dir;

    @BeforeAll
    void startGateway() throws Exception {
        stack = RealStack.forClass(getClass());
        URI vault = URI.create(stack.vaultAddress());
        relay = new TcpProxy(vault.getHost(), vault.getPort());
        Map<String, String> properties = new HashMap<>(stack.gatewayProperties());
        properties.remove("micronaut.server.port");
        properties.put("vaultgate.vault.uri", "http://127.0.0.1:" + relay.port());
        properties.put("vaultgate.reconciler.interval", "1s");
        properties.put("vaultgate.reconciler.stale-after", "5s");
        properties.put("vaultgate.change-sets.release-interval", "1s");
        // The killed releaser's lease must run out before another settles its draft.
        properties.put("vaultgate.change-sets.releasing-lease", "5s");
        dir = Files.createTempDirectory("vaultgate-release-crash");
        gateway = GatewayProcess.start(
                properties, Map.of("VAULT_TOKEN", stack.gatewayToken()), dir.resolve("gateway.log"));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void killingTheGatewayMidReleaseLeavesEveryScopeOldOrEveryScopeNew() throws Exception {
        ApiClient admin = new ApiClient(gateway.address(), stack.adminToken());
        ok(admin.put(PROJECT, null));
        ok(admin.put(PROJECT + "/environments/production", json("type", "production")));
        for (String service : List.of("api", "worker")) {
            ok(admin.put(PROJECT + "/services/" + service, null));
            ok(admin.put(PROJECT + "/environments/production/services/" + service, null));
        }
        ok(admin.put(PROJECT + "/secrets/ROTATE_A", json("value", "old-a")));
        ok(admin.put(PROJECT + "/environments/production/secrets/ROTATE_B", json("value", "old-b")));
        ok(admin.put(PROJECT + "/services/api/secrets/ROTATE_C", json("value", "old-c")));
        String id = ok(admin.post(PROJECT + "/change-sets", json("description", "crash")))
                .json()
                .path("id")
                .asText();
        ok(admin.put(PROJECT + "/secrets/ROTATE_A?changeSet=" + id, json("value", "new-a")));
        ok(admin.put(PROJECT + "/environments/production/secrets/ROTATE_B?changeSet=" + id, json("value", "new-b")));
        ok(admin.put(PROJECT + "/services/api/secrets/ROTATE_C?changeSet=" + id, json("value", "new-c")));

        CompletableFuture<Answer> release =
                CompletableFuture.supplyAsync(() -> admin.post(PROJECT + "/change-sets/" + id + "/release", null));
        String changeSetId = awaitAppliedChangeSet(id);
        awaitTaggedWrite(changeSetId);
        relay.holdAnswers();
        gateway.kill();
        relay.releaseAnswers();
        assertThat(release.handle((answer, failure) -> answer).get())
                .as("the release must still have been in flight when the gateway was killed")
                .isNull();
        int taggedAtKill = taggedScopes(changeSetId);

        gateway.restart();
        ApiClient again = new ApiClient(gateway.address(), stack.adminToken());
        JsonNode draft = awaitSettled(again, id);

        boolean released = draft.path("state").asText().equals("released");
        String prefix = released ? "new-" : "old-";
        String token = ok(again.post(PROJECT + "/environments/production/services/api/tokens", json()))
                .json()
                .path("token")
                .asText();
        JsonNode booted =
                JSON.readTree(again.withToken(token).get("/v1/env?format=json").body());
        assertThat(booted.toString())
                .as("boot fetch after the crash (%d of 3 scopes tagged at the kill)", taggedAtKill)
                .contains(prefix + "a", prefix + "b", prefix + "c");
        JsonNode resolved = again.get(PROJECT + "/environments/production/services/api/resolved")
                .json();
        for (JsonNode key : resolved.path("keys")) {
            assertThat(key.path("source").path("version").asInt())
                    .as(key.path("key").asText())
                    .isEqualTo(released ? 2 : 1);
        }
        long events = count("SELECT COUNT(*) FROM restart_event WHERE change_set_ids LIKE '%" + changeSetId + "%'");
        assertThat(events).isEqualTo(released ? 2 : 0);
        if (released) {
            assertThat(draft.path("changeSetId").asText()).isEqualTo(changeSetId);
        } else {
            assertThat(draft.path("state").asText()).isEqualTo("draft");
            assertThat(draft.path("lastReleaseFailure").path("code").asText()).isNotBlank();
        }
    }

    /** The change-set the release recorded before it began, read from the draft's row. */
    private String awaitAppliedChangeSet(String id) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            try (Connection connection = database();
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery(
                            "SELECT applied_change_set FROM change_set_draft WHERE id = '" + id + "'")) {
                if (row.next() && row.getString(1) != null) {
                    return row.getString(1);
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the release never recorded its change-set");
    }

    /** Waits until OpenBao holds one scope's version tagged with the change-set: a write has landed. */
    private void awaitTaggedWrite(String changeSetId) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            if (taggedScopes(changeSetId) > 0) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no scope write of the release landed");
    }

    private int taggedScopes(String changeSetId) throws Exception {
        int tagged = 0;
        for (String scope : SCOPES) {
            HttpResponse<String> entry = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/" + stack.kvMount() + "/data/"
                                            + stack.pathPrefix() + "/" + scope))
                                    .header("X-Vault-Token", stack.rootToken())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (entry.statusCode() == 200
                    && changeSetId.equals(JSON.readTree(entry.body())
                            .path("data")
                            .path("data")
                            .path("vaultgate:change-set")
                            .asText())) {
                tagged++;
            }
        }
        return tagged;
    }

    private JsonNode awaitSettled(ApiClient api, String id) throws Exception {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(90));
        JsonNode draft = null;
        while (Instant.now().isBefore(giveUp)) {
            Answer answer = api.get(PROJECT + "/change-sets/" + id);
            if (answer.status() == 200) {
                draft = answer.json();
                if (!draft.path("state").asText().equals("releasing")) {
                    return draft;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the draft was never settled: " + draft);
    }

    private Connection database() throws Exception {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
    }

    private long count(String sql) throws Exception {
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Answer ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
        return answer;
    }
}
