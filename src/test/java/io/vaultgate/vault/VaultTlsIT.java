package io.vaultgate.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultgate.access.CallerToken;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.StoreHealth;
import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.ValueStoreUnavailableException;
import io.vaultgate.values.VersionedEntry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's Vault clients on OpenBao serving TLS, as production runs it: one node started
 * from {@code vault-config/server.hcl} (rendered by {@code vault-config/render-server.sh}), its
 * certificate signed by a private CA made by {@code scripts/tls-certs.sh}. Both clients (the
 * gateway's token, and boot fetches' reads with the caller's token) trust exactly
 * {@code vaultgate.vault.ca-cert}; a server signed by another CA is refused before anything is
 * sent, and readiness says why.
 */
class VaultTlsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Process bao;
    private static String address;
    private static String rootToken;

    @BeforeAll
    static void startOpenBaoWithTls() throws Exception {
        Path root = projectRoot();
        run(root.resolve("scripts/tls-certs.sh").toString(), dir.resolve("tls").toString(), "vault");
        run(
                root.resolve("scripts/tls-certs.sh").toString(),
                dir.resolve("other").toString(),
                "vault");
        int port = freePort();
        int clusterPort = freePort();
        Files.createDirectories(dir.resolve("data"));
        String config = run(
                root.resolve("vault-config/render-server.sh").toString(),
                "tls-it",
                "127.0.0.1",
                String.valueOf(port),
                String.valueOf(clusterPort),
                dir.resolve("data").toString(),
                dir.resolve("tls").toString(),
                "vault",
                dir.resolve("audit.log").toString());
        Files.writeString(dir.resolve("server.hcl"), config);
        ProcessBuilder server = new ProcessBuilder("bao", "server", "-config=" + dir.resolve("server.hcl"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("bao.log").toFile());
        server.environment().keySet().removeIf(key -> key.startsWith("VAULT_") || key.startsWith("BAO_"));
        bao = server.start();
        address = "https://127.0.0.1:" + port;

        HttpClient trusting = HttpClient.newBuilder()
                .sslContext(trusting(dir.resolve("tls/ca.crt")))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        await(() -> status(trusting, "GET", "sys/health", null, null) == 501);
        JsonNode init = call(trusting, "PUT", "sys/init", null, Map.of("secret_shares", 1, "secret_threshold", 1));
        rootToken = init.path("root_token").asText();
        call(
                trusting,
                "PUT",
                "sys/unseal",
                null,
                Map.of("key", init.path("keys_base64").get(0).asText()));
        await(() -> status(trusting, "GET", "sys/health", null, null) == 200);
        call(
                trusting,
                "POST",
                "sys/mounts/vaultgate",
                rootToken,
                Map.of("type", "kv", "options", Map.of("version", "2")));
        await(() -> status(trusting, "GET", "vaultgate/config", rootToken, null) == 200);
    }

    @AfterAll
    static void stopOpenBao() throws InterruptedException {
        if (bao != null) {
            bao.destroy();
            if (!bao.waitFor(10, TimeUnit.SECONDS)) {
                bao.destroyForcibly();
            }
        }
    }

    @Test
    void withVaultsCaFileBothClientsWriteAndReadOverTls() {
        VaultProperties vault = properties(dir.resolve("tls/ca.crt").toString());
        VaultCalls calls = calls(vault);
        VaultSecretValueStore store = new VaultSecretValueStore(calls, vault);

        assertThat(store.health().up()).isTrue();
        EntryPath path = new EntryPath("acme/env/production");
        int version = store.write(path, Map.of("API_KEY", new SecretValue("k1")), "cs-tls-1", 0);
        assertThat(store.read(path)).map(VersionedEntry::version).contains(version);

        VaultCallerReads reads = new VaultCallerReads(calls, vault, VaultPoolProperties.defaults());
        try {
            List<Optional<VersionedEntry>> read = reads.readAs(new CallerToken(rootToken), List.of(path));
            assertThat(read.get(0))
                    .map(e -> e.values().get("API_KEY").plaintext())
                    .contains("k1");
        } finally {
            stop(reads);
        }
    }

    @Test
    void aVaultSignedByAnotherCaIsNotReadyAndIsSentNothing() {
        VaultProperties vault = properties(dir.resolve("other/ca.crt").toString());
        VaultCalls calls = calls(vault);
        VaultSecretValueStore store = new VaultSecretValueStore(calls, vault);

        StoreHealth health = store.health();
        assertThat(health.up()).isFalse();
        assertThat(health.detail()).contains("TLS certificate is not trusted").contains("vaultgate.vault.ca-cert");

        Throwable write = catchThrowable(
                () -> store.write(new EntryPath("acme/env/refused"), Map.of("K", new SecretValue("v")), "cs-tls-2", 0));
        assertThat(write).isInstanceOf(ValueStoreUnavailableException.class);
        assertThat(((ValueStoreException) write).changedNothing()).isTrue();

        VaultCallerReads reads = new VaultCallerReads(calls, vault, VaultPoolProperties.defaults());
        try {
            assertThatThrownBy(
                            () -> reads.readAs(new CallerToken(rootToken), List.of(new EntryPath("acme/env/refused"))))
                    .isInstanceOf(ValueStoreUnavailableException.class);
        } finally {
            stop(reads);
        }
    }

    @Test
    void withoutACaFileAPrivateCaIsNotTrusted() {
        VaultProperties vault = properties("");
        StoreHealth health = new VaultSecretValueStore(calls(vault), vault).health();
        assertThat(health.up()).isFalse();
        assertThat(health.detail()).contains("TLS certificate is not trusted");
    }

    @Test
    void aCaFileThatCannotBeReadStopsTheClientsBeingBuilt() throws IOException {
        Path missing = dir.resolve("no-such-ca.crt");
        assertThatThrownBy(
                        () -> VaultClientFactory.create(properties(missing.toString()), VaultPoolProperties.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("vaultgate.vault.ca-cert")
                .hasMessageContaining(missing.toString());

        Path notPem = Files.writeString(dir.resolve("not-a-cert.pem"), "not a certificate\n");
        assertThatThrownBy(
                        () -> VaultClientFactory.create(properties(notPem.toString()), VaultPoolProperties.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("vaultgate.vault.ca-cert")
                .hasMessageContaining("PEM");
    }

    private static VaultProperties properties(String caCert) {
        return new VaultProperties(
                URI.create(address),
                rootToken,
                "vaultgate",
                "projects",
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                400,
                caCert);
    }

    private static VaultCalls calls(VaultProperties vault) {
        return new VaultCalls(
                VaultClientFactory.create(vault, VaultPoolProperties.defaults()), VaultResilienceProperties.defaults());
    }

    private static void stop(VaultCallerReads reads) {
        try {
            reads.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test's own trust of the CA, not the code under test's. */
    private static SSLContext trusting(Path caCert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static int status(HttpClient client, String method, String path, String token, Object body) {
        try {
            return send(client, method, path, token, body).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    private static JsonNode call(HttpClient client, String method, String path, String token, Object body)
            throws IOException {
        HttpResponse<String> answer = send(client, method, path, token, body);
        assertThat(answer.statusCode()).as(method + " " + path).isBetween(200, 299);
        return answer.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(answer.body());
    }

    private static HttpResponse<String> send(HttpClient client, String method, String path, String token, Object body)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline) || !bao.isAlive()) {
                throw new IllegalStateException("OpenBao with TLS did not get there; see " + dir.resolve("bao.log"));
            }
            Thread.sleep(200);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static Path projectRoot() {
        for (Path candidate = Path.of("").toAbsolutePath(); candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("vault-config/server.hcl"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("vault-config/server.hcl not found");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
