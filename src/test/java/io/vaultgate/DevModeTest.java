package io.vaultgate;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.vaultgate.ApiClient.Answer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Dev mode, asked for with the {@code dev} environment: H2 in MySQL mode and the local encrypted
 * store, no Vault, no MySQL, on loopback only, its data folder and admin token owner-only. Same
 * migrations and the same API as production.
 */
@MicronautTest(environments = "dev", transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevModeTest implements TestPropertyProvider {

    private static final String CANARY = "dev-canary-7f3a";
    private final Path dataDir = createTempDir().resolve("data");

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("vaultgate.dev.data-dir", dataDir.toString(), "micronaut.server.port", "-1");
    }

    @Test
    void walkthroughWorksInDevModeWithThePrintedAdminToken() throws IOException {
        String token = Files.readString(dataDir.resolve("admin-token")).trim();
        ApiClient api = new ApiClient(URI.create(server.getURL().toString()), token);

        assertThat(api.put("/v1/projects/demo", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/demo/environments/production", json("type", "production"))
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/demo/environments/staging", json("type", "staging"))
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/demo/services/api", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/demo/environments/production/services/api", null)
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/demo/secrets/DATABASE_URL", json("value", "postgres://dev"))
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/demo/environments/production/secrets/DATABASE_URL", json("value", CANARY))
                        .status())
                .isEqualTo(201);

        Answer resolved = api.get("/v1/projects/demo/environments/production/services/api/resolved");

        assertThat(resolved.status()).isEqualTo(200);
        assertThat(resolved.json()
                        .path("keys")
                        .get(0)
                        .path("source")
                        .path("scope")
                        .asText())
                .isEqualTo("/v1/projects/demo/environments/production");
        assertThat(resolved.json()
                        .path("keys")
                        .get(0)
                        .path("overrides")
                        .get(0)
                        .path("scope")
                        .asText())
                .isEqualTo("/v1/projects/demo");
        assertThat(api.withToken("wrong").get("/v1/projects").status()).isEqualTo(401);
        assertThat(filesUnder(dataDir))
                .as("no file of the data folder holds the value in clear")
                .doesNotContain(CANARY);
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        assertThat(server.getHost()).isEqualTo("127.0.0.1");
        try (Socket loopback = new Socket("127.0.0.1", server.getPort())) {
            assertThat(loopback.isConnected()).isTrue();
        }
        // Another loopback address: a server bound to every interface would answer here too.
        assertThatThrownBy(() -> new Socket("127.0.0.2", server.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void theDataFolderAndTheAdminTokenFileAreOwnerOnly() throws IOException {
        assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("admin-token")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void readinessIsUpWithoutVaultOrMysql() {
        Answer health = new ApiClient(URI.create(server.getURL().toString()), null).get("/health/readiness");
        assertThat(health.status()).isEqualTo(200);
    }

    private static String filesUnder(Path folder) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("vaultgate-dev-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
