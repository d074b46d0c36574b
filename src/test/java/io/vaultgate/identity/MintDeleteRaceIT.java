package io.vaultgate.identity;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A token minted while its deployment is being deleted does not outlive the deletion, on real
 * OpenBao and MariaDB: the mint is held (a sleeping trigger) after Vault made the token and while
 * MySQL records it, and the deletion runs meanwhile.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MintDeleteRaceIT extends GatewayTest {

    private static final String DEPLOYMENT = "/v1/projects/racy/environments/prod/services/api";

    private ApiClient api;

    @BeforeAll
    void createCatalog() {
        api = admin();
        ok(api.put("/v1/projects/racy", null));
        ok(api.put("/v1/projects/racy/environments/prod", json("type", "production")));
        ok(api.put("/v1/projects/racy/services/api", null));
        ok(api.put(DEPLOYMENT, null));
        ok(api.put(DEPLOYMENT + "/secrets/KEY", json("value", "v")));
    }

    @Test
    void aTokenMintedWhileItsDeploymentIsDeletedIsRevokedOrNeverHandedOut() throws Exception {
        execute("CREATE TRIGGER slow_mint BEFORE INSERT ON issued_token FOR EACH ROW DO SLEEP(2)");
        ExecutorService requests = Executors.newFixedThreadPool(2);
        Answer minted;
        Answer deleted;
        try {
            Future<Answer> mint = requests.submit(() -> api.post(DEPLOYMENT + "/tokens", Map.of()));
            awaitMintRecording();
            Future<Answer> delete = requests.submit(() -> api.delete(DEPLOYMENT));
            minted = mint.get(30, TimeUnit.SECONDS);
            deleted = delete.get(30, TimeUnit.SECONDS);
        } finally {
            requests.shutdownNow();
            execute("DROP TRIGGER IF EXISTS slow_mint");
        }

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(minted.status()).as(minted.toString()).isIn(201, 404);
        if (minted.status() == 201) {
            String token = minted.json().path("token").asText();
            assertThat(vaultAs(token, "auth/token/lookup-self"))
                    .as("the token minted during the deletion no longer works")
                    .isEqualTo(403);
            assertThat(vaultAs(token, stack().kvMount() + "/data/" + stack().pathPrefix() + "/racy/env/prod/svc/api"))
                    .as("nor reads the deleted deployment's values")
                    .isEqualTo(403);
        }
        assertThat(count("SELECT COUNT(*) FROM issued_token WHERE project = 'racy' AND revoked_at IS NULL"))
                .as("no live token is recorded for the deleted deployment")
                .isZero();
    }

    /** The mint has its token from Vault and sleeps in the trigger while recording it. */
    private void awaitMintRecording() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count("SELECT COUNT(*) FROM information_schema.processlist WHERE state = 'User sleep'") == 0) {
            assertThat(System.nanoTime()).as("the mint reached MySQL").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private int vaultAs(String token, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack().vaultAddress() + "/v1/" + path))
                .header("X-Vault-Token", token)
                .GET()
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
