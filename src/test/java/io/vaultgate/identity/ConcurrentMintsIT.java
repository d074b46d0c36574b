package io.vaultgate.identity;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Many clients minting tokens for one deployment at once, on real OpenBao and MariaDB: each token
 * is recorded and revocable, and the mints do not queue behind each other while they record.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentMintsIT extends GatewayTest {

    private static final String DEPLOYMENT = "/v1/projects/busy/environments/prod/services/api";
    private static final String ENTRY = "busy/env/prod/svc/api";
    private static final int CLIENTS = 8;

    private final HttpClient http = HttpClient.newHttpClient();
    private ApiClient api;

    @BeforeAll
    void createCatalog() {
        api = admin();
        ok(api.put("/v1/projects/busy", null));
        ok(api.put("/v1/projects/busy/environments/prod", json("type", "production")));
        ok(api.put("/v1/projects/busy/services/api", null));
        ok(api.put(DEPLOYMENT, null));
        ok(api.put(DEPLOYMENT + "/secrets/KEY", json("value", "v")));
    }

    @Test
    void tokensMintedByEightConcurrentClientsAreEachRecordedAndRevocable() throws Exception {
        long audited = count("SELECT COUNT(*) FROM audit_log WHERE action = 'token.create'");

        List<Answer> minted = mintAtOnce(CLIENTS * 4);

        Set<String> accessors = new HashSet<>();
        for (Answer answer : minted) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
            String accessor = answer.json().path("accessor").asText();
            accessors.add(accessor);
            assertThat(count("SELECT COUNT(*) FROM issued_token WHERE accessor = '" + accessor
                            + "' AND token_hash IS NOT NULL AND revoked_at IS NULL"))
                    .as("recorded with its hash")
                    .isEqualTo(1);
        }
        assertThat(accessors).hasSize(minted.size());
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'token.create'"))
                .isEqualTo(audited + minted.size());
        for (Answer answer : minted) {
            String token = answer.json().path("token").asText();
            assertThat(vaultAs(token, dataPath())).isEqualTo(200);
            assertThat(api.delete("/v1/tokens/" + answer.json().path("accessor").asText())
                            .status())
                    .isEqualTo(204);
            assertThat(vaultAs(token, dataPath())).as("revoked in Vault").isEqualTo(403);
        }
    }

    @Test
    void mintsOfOneDeploymentRecordTheirTokensSideBySide() throws Exception {
        // Each record takes a second: mints that waited for each other would take a second each.
        execute("CREATE TRIGGER slow_record BEFORE INSERT ON issued_token FOR EACH ROW DO SLEEP(1)");
        List<Answer> minted;
        long started = System.nanoTime();
        try {
            minted = mintAtOnce(4);
        } finally {
            execute("DROP TRIGGER IF EXISTS slow_record");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(minted)
                .allSatisfy(answer ->
                        assertThat(answer.status()).as(answer.toString()).isEqualTo(201));
        assertThat(took).as("four mints recording at once").isLessThan(Duration.ofMillis(3500));
    }

    private List<Answer> mintAtOnce(int mints) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < mints; i++) {
                answers.add(clients.submit(() -> api.post(DEPLOYMENT + "/tokens", json())));
            }
            List<Answer> minted = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                minted.add(answer.get(60, TimeUnit.SECONDS));
            }
            return minted;
        } finally {
            clients.shutdownNow();
        }
    }

    private String dataPath() {
        return stack().kvMount() + "/data/" + stack().pathPrefix() + "/" + ENTRY;
    }

    private int vaultAs(String token, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack().vaultAddress() + "/v1/" + path))
                .header("X-Vault-Token", token)
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
