package io.vaultgate.devmode;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.delivery.EnvClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Dev mode's local token authority behaves like Vault: workload tokens bound to a deployment,
 * boot fetches counted, revocation, operator roles; tokens kept only as SHA-256 hashes and values
 * read from the local encrypted store.
 */
@MicronautTest(environments = "dev", transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevModeTokensTest implements TestPropertyProvider {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/v1/projects/demo/environments/production/services/api";
    private final Path dataDir = createTempDir();

    @Inject
    EmbeddedServer server;

    @Inject
    LocalTokenAuthority.Tokens localTokens;

    private ApiClient admin;
    private EnvClient env;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("vaultgate.dev.data-dir", dataDir.toString(), "micronaut.server.port", "-1");
    }

    @BeforeAll
    void createCatalog() throws IOException {
        admin = new ApiClient(
                URI.create(server.getURL().toString()),
                Files.readString(dataDir.resolve("admin-token")).trim());
        env = new EnvClient(URI.create(server.getURL().toString()));
        ok(admin.put("/v1/projects/demo", null));
        ok(admin.put("/v1/projects/demo/environments/production", json("type", "production")));
        ok(admin.put("/v1/projects/demo/environments/staging", json("type", "staging")));
        ok(admin.put("/v1/projects/demo/services/api", null));
        ok(admin.put(API, null));
        ok(admin.put("/v1/projects/demo/environments/staging/services/api", null));
        ok(admin.put("/v1/projects/demo/secrets/GREETING", json("value", "it's $HOME\n")));
        ok(admin.put(API + "/secrets/ONLY_PROD", json("value", "p")));
    }

    @Test
    void aLocalWorkloadTokenFetchesItsEnvironmentFromTheEncryptedStore() throws Exception {
        Answer minted = admin.post(API + "/tokens", json("ttlSeconds", 600));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        String token = minted.json().path("token").asText();

        EnvClient.Fetch fetched = env.fetch(token);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(JSON.readTree(fetched.body()).path("GREETING").asText()).isEqualTo("it's $HOME\n");
        assertThat(JSON.readTree(fetched.body()).path("ONLY_PROD").asText()).isEqualTo("p");
        assertThat(env.fetch(token, "?format=shell", Map.of()).body()).contains("export GREETING='it'\\''s $HOME\n'");
        assertThat(env.fetch(token, null, Map.of("If-None-Match", fetched.etag()))
                        .status())
                .isEqualTo(304);
        assertThat(admin.withToken(token).get("/v1/projects/demo/secrets").status())
                .isEqualTo(403);
        assertThat(admin.post(API + "/tokens", json("ttlSeconds", 7200)).code()).isEqualTo("ttl-too-long");

        String staging = admin.post("/v1/projects/demo/environments/staging/services/api/tokens", json())
                .json()
                .path("token")
                .asText();
        assertThat(JSON.readTree(env.fetch(staging).body()).has("ONLY_PROD")).isFalse();

        StringBuilder all = new StringBuilder();
        localTokens.findAll().forEach(t -> all.append(t).append('\n'));
        assertThat(all)
                .contains(minted.json().path("accessor").asText())
                .contains(LocalTokenAuthority.sha256(token))
                .doesNotContain(token);
    }

    @Test
    void useCountsRevocationAndRolesWorkAsWithVault() {
        String once = admin.post(API + "/tokens", json("numUses", 1))
                .json()
                .path("token")
                .asText();
        assertThat(env.fetch(once).status()).isEqualTo(200);
        assertThat(env.fetch(once).status()).isIn(401, 403);

        Answer minted = admin.post(API + "/tokens", json());
        String token = minted.json().path("token").asText();
        assertThat(env.fetch(token).status()).isEqualTo(200);
        assertThat(admin.delete("/v1/tokens/" + minted.json().path("accessor").asText())
                        .status())
                .isEqualTo(204);
        assertThat(env.fetch(token).status()).isEqualTo(401);

        String deployer = admin.post("/v1/projects/demo/operator-tokens", json("role", "deployer"))
                .json()
                .path("token")
                .asText();
        ApiClient asDeployer = admin.withToken(deployer);
        assertThat(asDeployer.post(API + "/tokens", json()).status()).isEqualTo(201);
        assertThat(asDeployer
                        .put("/v1/projects/demo/secrets/NOPE", json("value", "x"))
                        .status())
                .isEqualTo(403);
        assertThat(asDeployer.get("/v1/projects/elsewhere/secrets").status()).isEqualTo(404);
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("vaultgate-dev-tokens");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
