package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import io.vaultgate.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The gateway serving HTTPS itself from a PEM certificate and key, on real OpenBao and MariaDB. */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsIT extends GatewayTest {

    private static final TestCertificates CERTS = TestCertificates.make("gateway");

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "micronaut.server.ssl.enabled",
                "true",
                "micronaut.server.ssl.port",
                "-1",
                "micronaut.server.ssl.key-store.certificate-path",
                "file:" + CERTS.cert("gateway"),
                "micronaut.server.ssl.key-store.key-path",
                "file:" + CERTS.key("gateway"));
    }

    @Test
    void aClientThatTrustsTheCaGets200OverHttps() throws Exception {
        HttpClient trusting = HttpClient.newBuilder()
                .sslContext(CERTS.trustingCa())
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        assertThat(server.getScheme()).isEqualTo("https");
        assertThat(trusting.send(get("/health/readiness"), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> projects = trusting.send(
                java.net.http.HttpRequest.newBuilder(base().resolve("/v1/projects"))
                        .header("Authorization", "Bearer " + stack().adminToken())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(projects.statusCode()).as(projects.body()).isEqualTo(200);
    }

    @Test
    void theGatewayKnowsTheRequestCameOverHttps() throws Exception {
        HttpClient trusting =
                HttpClient.newBuilder().sslContext(CERTS.trustingCa()).build();

        HttpResponse<String> answer = trusting.send(get("/health/liveness"), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.uri().getScheme()).isEqualTo("https");
        assertThat(answer.sslSession()).isPresent();
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefusedAtTheHandshake() {
        HttpClient defaultTrust = HttpClient.newHttpClient();

        assertThatThrownBy(() -> defaultTrust.send(get("/health/readiness"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpGetsNoAnswerSoABearerTokenIsNeverTakenOverIt() {
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI http = URI.create("http://127.0.0.1:" + server.getPort() + "/v1/projects");

        assertThatThrownBy(() -> plain.send(
                        java.net.http.HttpRequest.newBuilder(http)
                                .timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + stack().adminToken())
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    private URI base() {
        return URI.create("https://localhost:" + server.getPort());
    }

    private java.net.http.HttpRequest get(String path) {
        return java.net.http.HttpRequest.newBuilder(base().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .build();
    }
}
