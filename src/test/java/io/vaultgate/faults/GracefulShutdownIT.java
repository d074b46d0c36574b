package io.vaultgate.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.testing.GatewayProcess;
import io.vaultgate.testing.LocalMariaDb;
import io.vaultgate.testing.PersistentBao;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade stops each replica with SIGTERM once the balancer drains it; a request the
 * replica is still serving at that moment must get its answer, not a closed connection (which
 * HAProxy turns into a 502, and which leaves the client unsure whether a write happened).
 */
class GracefulShutdownIT {

    private static final String PROJECT = "/v1/projects/drain";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aWriteInFlightWhenTheGatewayGetsSigtermIsAnsweredBeforeItExits(@TempDir Path dir) throws Exception {
        try (PersistentBao bao = PersistentBao.start(dir.resolve("bao"));
                LocalMariaDb db = LocalMariaDb.start(dir.resolve("mariadb"), "vaultgate")) {
            GatewayProcess gateway = GatewayProcess.start(
                    Map.of(
                            "datasources.default.url", db.jdbcUrl("vaultgate"),
                            "datasources.default.username", "root",
                            "vaultgate.vault.uri", bao.address()),
                    Map.of("VAULT_TOKEN", bao.gatewayToken()),
                    dir.resolve("gateway.log"));
            try {
                String admin = bao.adminToken();
                assertThat(send(gateway, admin, "PUT", PROJECT, "{}").join().statusCode())
                        .isBetween(200, 299);
                assertThat(send(gateway, admin, "PUT", PROJECT + "/environments/prod", "{\"type\":\"production\"}")
                                .join()
                                .statusCode())
                        .isBetween(200, 299);

                // Frozen, OpenBao holds the write's value call: the write is in flight on the gateway.
                bao.freeze();
                CompletableFuture<HttpResponse<String>> write = send(
                        gateway, admin, "PUT", PROJECT + "/environments/prod/secrets/IN_FLIGHT", "{\"value\":\"v1\"}");
                Thread.sleep(1_000);
                gateway.terminate();
                Thread.sleep(1_500);
                bao.thaw();

                HttpResponse<String> answer = write.get(60, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
                assertThat(gateway.awaitExit(Duration.ofSeconds(60)))
                        .as("the gateway exits once its requests are answered")
                        .isTrue();
            } finally {
                bao.thaw();
                gateway.close();
            }
        }
    }

    private CompletableFuture<HttpResponse<String>> send(
            GatewayProcess gateway, String token, String method, String path, String body) {
        return http.sendAsync(
                HttpRequest.newBuilder(URI.create(gateway.address() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
