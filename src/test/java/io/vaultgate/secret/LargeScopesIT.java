package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Scopes hold the 5,000 keys the docs promise on a stock OpenBao, whose listener refuses a JSON
 * body of more than 1,000 strings (a KV write of about 500 keys): larger entries are written in
 * several check-and-set versions and only the last one carries the change-set, so boot fetches
 * never see a half-written entry. Real OpenBao and MariaDB.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeScopesIT extends GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENT = "/v1/projects/big/environments/prod/services/api";

    private ApiClient api;
    private EnvClient env;

    @BeforeAll
    void createCatalog() {
        api = admin();
        env = new EnvClient(URI.create(server.getURL().toString()));
        ok(api.put("/v1/projects/big", null));
        ok(api.put("/v1/projects/big/environments/prod", json("type", "production")));
        ok(api.put("/v1/projects/big/services/api", null));
        ok(api.put(DEPLOYMENT, null));
        ok(api.put("/v1/projects/other", null));
    }

    @Test
    void anImportOfAThousandKeysIsAcknowledgedAndEveryKeyIsListed() {
        Answer imported = api.post("/v1/projects/other/import", keys("K", 1_000, "v"));

        assertThat(imported.status()).as(imported.toString()).isBetween(200, 201);
        assertThat(api.get("/v1/projects/other/secrets").json().path("secrets")).hasSize(1_000);
    }

    @Test
    void anImportOfFiveThousandKeysIsServedWholeToABootAndNeverHalfWritten() throws Exception {
        int before = currentVersion("big/env/prod/svc/api");

        Answer imported = api.post(DEPLOYMENT + "/import", keys("KEY_", 5_000, "value-"));

        assertThat(imported.status()).as(imported.toString()).isBetween(200, 201);
        int after = currentVersion("big/env/prod/svc/api");
        assertThat(after - before)
                .as("several versions, each a request the listener takes")
                .isGreaterThan(1);
        JsonNode last = entryAt("big/env/prod/svc/api", after);
        String changeSet = last.path("vaultgate:change-set").asText();
        assertThat(changeSet).isNotEmpty();
        assertThat(last.size()).isEqualTo(5_001);
        for (int version = before + 1; version < after; version++) {
            assertThat(entryAt("big/env/prod/svc/api", version)
                            .path("vaultgate:change-set")
                            .asText())
                    .as("version %d is half-way and never carries the change-set", version)
                    .isNotEqualTo(changeSet);
        }

        EnvClient.Fetch boot = env.fetch(mint(), "?format=json", Map.of());
        assertThat(boot.status()).as(boot.toString()).isEqualTo(200);
        JsonNode served = JSON.readTree(boot.body());
        assertThat(served.properties().stream()
                        .filter(field -> field.getKey().startsWith("KEY_"))
                        .count())
                .isEqualTo(5_000);
        assertThat(served.path("KEY_4999").asText()).isEqualTo("value-4999");

        Answer deleted = api.delete(DEPLOYMENT + "/secrets/KEY_17");
        assertThat(deleted.status()).as(deleted.toString()).isBetween(200, 204);
        JsonNode rewritten = entryAt("big/env/prod/svc/api", currentVersion("big/env/prod/svc/api"));
        assertThat(rewritten.has("KEY_17")).isFalse();
        assertThat(rewritten.size()).isEqualTo(5_000);
        assertThat(rewritten.path("KEY_18").asText()).isEqualTo("value-18");
    }

    @Test
    void aWriteThatWouldTakeAScopePastFiveThousandKeysIsRefusedAndChangesNothing() throws Exception {
        ok(api.put("/v1/projects/big/environments/prod", json("type", "production")));
        Answer filled = api.post("/v1/projects/big/environments/prod/import", keys("FULL_", 5_000, "x"));
        assertThat(filled.status()).as(filled.toString()).isBetween(200, 201);
        int version = currentVersion("big/env/prod");

        Answer refused = api.put("/v1/projects/big/environments/prod/secrets/ONE_MORE", json("value", "y"));

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.code()).isEqualTo("scope-too-large");
        assertThat(refused.body()).contains("5001 keys", "5000");
        assertThat(currentVersion("big/env/prod")).isEqualTo(version);
    }

    private static Map<String, Object> keys(String prefix, int count, String valuePrefix) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            body.put(prefix + i, valuePrefix + i);
        }
        return body;
    }

    private String mint() {
        Answer minted = api.post(DEPLOYMENT + "/tokens", Map.of());
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private int currentVersion(String entryPath) throws Exception {
        JsonNode entry = vaultEntry(entryPath);
        return entry == null ? 0 : entry.path("metadata").path("version").asInt();
    }

    /** The data of one version of an entry, read with the root token. */
    private JsonNode entryAt(String entryPath, int version) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack().vaultAddress() + "/v1/" + stack().kvMount() + "/data/"
                                        + stack().pathPrefix() + "/" + entryPath + "?version=" + version))
                                .header("X-Vault-Token", stack().rootToken())
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("data").path("data");
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
