package io.vaultgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * OpenBao as production runs it, on loopback: integrated Raft storage in a folder of its own,
 * initialised with one unseal key, sealed at every start until unsealed. Its data outlives a
 * kill -9, so a fault test can check that what was acknowledged is still there afterwards.
 * {@code vault-config/apply.sh} configures it exactly as an operator would.
 */
public final class PersistentBao extends Part {

    private final Path binary;
    private final Path dir;
    private final int port = freePort();
    private final int clusterPort = freePort();
    private final VaultHttp http;
    private String rootToken;
    private String unsealKey;
    private String gatewayToken;
    private String adminToken;

    private PersistentBao(Path binary, Path dir) {
        this.binary = binary;
        this.dir = dir;
        this.http = new VaultHttp(address());
    }

    public static PersistentBao start(Path dir) {
        Path binary = BaoDevServer.findBinary()
                .orElseThrow(() -> new IllegalStateException("bao not found; scripts/test-services.sh installs it"));
        PersistentBao bao = new PersistentBao(binary, dir);
        bao.launch();
        JsonNode init = bao.http.require("PUT", "sys/init", null, Map.of("secret_shares", 1, "secret_threshold", 1));
        bao.rootToken = init.path("root_token").asText();
        bao.unsealKey = init.path("keys_base64").get(0).asText();
        bao.unseal();
        Servers.applyVaultConfig(Servers.projectRoot(), binary, bao.address(), bao.rootToken);
        bao.gatewayToken = bao.http.createToken(
                bao.rootToken, List.of("vaultgate-gateway"), true, true, "vaultgate-gateway-faults");
        bao.adminToken =
                bao.http.createToken(bao.rootToken, List.of("vaultgate-admin"), false, false, "vaultgate-admin-faults");
        return bao;
    }

    @Override
    public String name() {
        return "openbao";
    }

    public String address() {
        return "http://127.0.0.1:" + port;
    }

    public String rootToken() {
        return rootToken;
    }

    public String gatewayToken() {
        return gatewayToken;
    }

    public String adminToken() {
        return adminToken;
    }

    /** A Vault API call with the root token, bypassing the gateway: the status and body. */
    public VaultHttp.Response call(String method, String path, Object body) {
        return http.call(method, path, rootToken, body);
    }

    @Override
    public void restart() {
        launch();
        unseal();
    }

    /** {@code sys/seal}: every request is refused with 503 until {@link #unseal()}. */
    public void seal() {
        http.require("PUT", "sys/seal", rootToken, Map.of());
    }

    public void unseal() {
        http.require("PUT", "sys/unseal", null, Map.of("key", unsealKey));
        await("openbao active", Duration.ofSeconds(60), () -> health() == 200);
    }

    private void launch() {
        try {
            Files.createDirectories(dir.resolve("raft"));
            Path config = dir.resolve("bao.hcl");
            Files.writeString(config, """
                    storage "raft" {
                      path    = "%s"
                      node_id = "faults-1"
                    }
                    listener "tcp" {
                      address         = "127.0.0.1:%d"
                      cluster_address = "127.0.0.1:%d"
                      tls_disable     = true
                    }
                    api_addr      = "http://127.0.0.1:%d"
                    cluster_addr  = "http://127.0.0.1:%d"
                    disable_mlock = true
                    """.formatted(dir.resolve("raft"), port, clusterPort, port, clusterPort));
            process = new ProcessBuilder(binary.toString(), "server", "-config=" + config)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("bao.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start bao", e);
        }
        await("openbao listening", Duration.ofSeconds(30), () -> health() > 0);
    }

    /** {@code sys/health}: 200 active, 503 sealed, 501 not initialised; 0 when nothing answers. */
    private int health() {
        try {
            return http.call("GET", "sys/health", null, null).status();
        } catch (RuntimeException notListening) {
            return 0;
        }
    }
}
