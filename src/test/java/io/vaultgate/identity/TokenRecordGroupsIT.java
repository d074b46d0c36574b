package io.vaultgate.identity;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Concurrent mints' tokens recorded in one MySQL transaction ({@link TokenRecordGroups}), on real
 * OpenBao and MariaDB. A group here waits up to two seconds for its members, so mints sent together
 * are recorded together: what a group's failure does to each of them is then certain.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenRecordGroupsIT extends GatewayTest {

    private static final String PROJECT = "/v1/projects/grouped";
    private static final String API = PROJECT + "/environments/prod/services/api";
    private static final String WORKER = PROJECT + "/environments/prod/services/worker";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vaultgate.tokens.record-group-wait", "2s");
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        ok(api.put(PROJECT, null));
        ok(api.put(PROJECT + "/environments/prod", json("type", "production")));
        ok(api.put(PROJECT + "/services/api", null));
        ok(api.put(PROJECT + "/services/worker", null));
        ok(api.put(API, null));
        ok(api.put(WORKER, null));
    }

    @Test
    void mintsSentTogetherAreEachRecordedWithTheirAuditAndRevocable() throws Exception {
        long audited = count("SELECT COUNT(*) FROM audit_log WHERE action = 'token.create'");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(i % 2 == 0 ? API : WORKER);
        }

        List<Answer> minted = mintAtOnce(sent);

        Set<String> accessors = new HashSet<>();
        for (int i = 0; i < minted.size(); i++) {
            Answer answer = minted.get(i);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
            String accessor = answer.json().path("accessor").asText();
            accessors.add(accessor);
            String service = sent.get(i).equals(API) ? "api" : "worker";
            assertThat(count("SELECT COUNT(*) FROM issued_token WHERE accessor = '" + accessor + "' AND service = '"
                            + service + "' AND token_hash IS NOT NULL AND revoked_at IS NULL"))
                    .as("recorded for its own deployment")
                    .isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'token.create' AND scope LIKE '%/" + service
                            + "/tokens/" + accessor + "'"))
                    .as("audited")
                    .isEqualTo(1);
        }
        assertThat(accessors).hasSize(minted.size());
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'token.create'"))
                .isEqualTo(audited + minted.size());
        for (Answer answer : minted) {
            String token = answer.json().path("token").asText();
            assertThat(lookup(token).path("data").path("accessor").asText())
                    .isEqualTo(answer.json().path("accessor").asText());
            assertThat(api.delete("/v1/tokens/" + answer.json().path("accessor").asText())
                            .status())
                    .isEqualTo(204);
            assertThat(lookup(token).path("errors").isArray())
                    .as("revoked in Vault")
                    .isTrue();
        }
    }

    @Test
    void aGroupWhoseRecordFailsFailsEveryMintInItAndLeavesNoUsableToken() throws Exception {
        // Only the worker's row is refused; the api's mints share its group, so its transaction.
        execute("CREATE TRIGGER refuse_worker BEFORE INSERT ON issued_token FOR EACH ROW "
                + "BEGIN IF NEW.service = 'worker' THEN SIGNAL SQLSTATE '08S01' "
                + "SET MESSAGE_TEXT = 'refused by the test'; END IF; END");
        Set<String> liveBefore = liveAccessorsOfProject();
        long recordedBefore = count("SELECT COUNT(*) FROM issued_token");
        List<Answer> minted;
        try {
            minted = mintAtOnce(List.of(API, API, WORKER, API, API));
        } finally {
            execute("DROP TRIGGER IF EXISTS refuse_worker");
        }

        assertThat(minted).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
            assertThat(answer.json().path("code").asText()).isEqualTo("metadata-unavailable");
            assertThat(answer.body()).doesNotContain("hvs.").doesNotContain("refused by the test");
        });
        assertThat(count("SELECT COUNT(*) FROM issued_token")).isEqualTo(recordedBefore);
        assertThat(liveAccessorsOfProject())
                .as("every token minted for the failed group was revoked")
                .isEqualTo(liveBefore);

        // The next group records as usual.
        Answer after = api.post(API + "/tokens", json());
        assertThat(after.status()).as(after.toString()).isEqualTo(201);
    }

    @Test
    void aDeploymentBeingDeletedHoldsNoOtherDeploymentsMints() throws Exception {
        long workerId = count("SELECT d.id FROM deployment d JOIN service s ON s.id = d.service_id "
                + "JOIN project p ON p.id = d.project_id WHERE p.slug = 'grouped' AND s.slug = 'worker'");
        try (Connection holder = database();
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            // What a deletion through another replica holds until it commits.
            statement.executeQuery("SELECT id FROM deployment WHERE id = " + workerId + " FOR UPDATE");

            ExecutorService clients = Executors.newFixedThreadPool(2);
            try {
                Future<Answer> worker = clients.submit(() -> api.post(WORKER + "/tokens", json()));
                long started = System.nanoTime();
                Answer apiMint =
                        clients.submit(() -> api.post(API + "/tokens", json())).get(30, TimeUnit.SECONDS);
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(apiMint.status()).as(apiMint.toString()).isEqualTo(201);
                assertThat(took).as("not held behind the worker's lock").isLessThan(Duration.ofSeconds(15));
                assertThat(worker.isDone())
                        .as("the worker's mint waits for the lock")
                        .isFalse();

                holder.rollback();
                Answer workerMint = worker.get(60, TimeUnit.SECONDS);
                assertThat(workerMint.status()).as(workerMint.toString()).isEqualTo(201);
                assertThat(count("SELECT COUNT(*) FROM issued_token WHERE accessor = '"
                                + workerMint.json().path("accessor").asText() + "'"))
                        .isEqualTo(1);
            } finally {
                clients.shutdownNow();
            }
        }
    }

    private List<Answer> mintAtOnce(List<String> deployments) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(deployments.size());
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (String deployment : deployments) {
                answers.add(clients.submit(() -> api.post(deployment + "/tokens", json())));
            }
            List<Answer> minted = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                minted.add(answer.get(90, TimeUnit.SECONDS));
            }
            return minted;
        } finally {
            clients.shutdownNow();
        }
    }

    /** Accessors of the tokens Vault holds for this project, whoever minted them (root token). */
    private Set<String> liveAccessorsOfProject() throws Exception {
        Set<String> live = new HashSet<>();
        for (JsonNode accessor :
                vault("LIST", "auth/token/accessors", null).path("data").path("keys")) {
            JsonNode data = vault("POST", "auth/token/lookup-accessor", Map.of("accessor", accessor.asText()))
                    .path("data");
            if ("grouped".equals(data.path("meta").path("project").asText())) {
                live.add(accessor.asText());
            }
        }
        return live;
    }

    private JsonNode lookup(String token) throws Exception {
        return vault("POST", "auth/token/lookup", Map.of("token", token));
    }

    private JsonNode vault(String method, String path, Object body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack().vaultAddress() + "/v1/" + path))
                .header("X-Vault-Token", stack().rootToken())
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        String answer = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        return answer.isBlank() ? JSON.createObjectNode() : JSON.readTree(answer);
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
