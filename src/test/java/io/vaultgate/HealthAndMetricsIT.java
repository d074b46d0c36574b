package io.vaultgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Readiness follows both stores: the gateway reaches Vault and MariaDB through relays this
 * test cuts, so each store disappears for real while the shared servers keep running.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthAndMetricsIT extends GatewayTest {

    private TcpProxy vault;
    private TcpProxy mysql;

    @Override
    protected Map<String, String> extraProperties() {
        URI vaultUri = URI.create(stack().vaultAddress());
        vault = new TcpProxy(vaultUri.getHost(), vaultUri.getPort());
        URI jdbc = URI.create(stack().jdbcUrl().substring("jdbc:".length()));
        mysql = new TcpProxy(jdbc.getHost(), jdbc.getPort());
        return Map.of(
                "vaultgate.vault.uri", "http://127.0.0.1:" + vault.port(),
                "datasources.default.url",
                        stack().jdbcUrl().replace(":" + jdbc.getPort() + "/", ":" + mysql.port() + "/"),
                "datasources.default.connection-timeout", "1000",
                "datasources.default.validation-timeout", "500",
                "vaultgate.vault.connect-timeout", "500ms",
                "vaultgate.vault.read-timeout", "1s");
    }

    @AfterAll
    void closeRelays() {
        vault.close();
        mysql.close();
    }

    @Test
    void readinessIsDownWhileVaultOrMysqlIsGoneAndUpAgainAfter() {
        ApiClient anonymous = new ApiClient(URI.create(server.getURL().toString()), null);
        assertThat(anonymous.get("/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous.get("/health/liveness").status()).isEqualTo(200);

        vault.cut();
        Answer vaultGone = anonymous.get("/health/readiness");
        assertThat(anonymous.get("/health/liveness").status())
                .as("liveness ignores the stores")
                .isEqualTo(200);
        vault.restore();
        assertThat(vaultGone.status()).isEqualTo(503);
        awaitStatus(anonymous, "/health/readiness", 200);

        mysql.cut();
        Answer mysqlGone = anonymous.get("/health/readiness");
        assertThat(anonymous.get("/health/liveness").status())
                .as("liveness ignores the stores")
                .isEqualTo(200);
        mysql.restore();
        assertThat(mysqlGone.status()).isEqualTo(503);
        awaitStatus(anonymous, "/health/readiness", 200);
    }

    @Test
    void writeWhileMysqlIsGoneAnswers503AndNothingIsAcknowledged() {
        ApiClient api = admin();
        assertThat(api.put("/v1/projects/downtime", null).status()).isIn(200, 201);

        mysql.cut();
        Answer during = api.put("/v1/projects/downtime/secrets/K", ApiClient.json("value", "v"));
        mysql.restore();

        assertThat(during.status()).as(during.toString()).isEqualTo(503);
        assertThat(during.code()).isEqualTo("metadata-unavailable");
        awaitStatus(api, "/v1/projects/downtime/secrets/K", 404);
        assertThat(api.put("/v1/projects/downtime/secrets/K", ApiClient.json("value", "v"))
                        .status())
                .isEqualTo(201);
    }

    /**
     * Pooled connections the cut killed are found dead on their next use, so recovery takes a
     * request or two; it must come within seconds.
     */
    private static void awaitStatus(ApiClient client, String path, int status) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        int last;
        do {
            last = client.get(path).status();
            if (last == status) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        assertThat(last).as(path + " after the store came back").isEqualTo(status);
    }

    @Test
    void prometheusEndpointNeedsATokenAndExposesHttpMetrics() {
        Answer anonymous = admin().withToken(null).get("/prometheus");
        assertThat(anonymous.status()).isEqualTo(401);

        admin().get("/v1/projects");
        Answer scrape = admin().get("/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("http_server_requests_seconds");
    }
}
