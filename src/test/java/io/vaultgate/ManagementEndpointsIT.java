package io.vaultgate;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Nothing is served without a token but liveness and readiness: every management endpoint the
 * gateway does not need is off, and {@code /prometheus} needs an operator role (admin, or the
 * {@code vaultgate-metrics} marker policy a scraper's token holds), not just any Vault token.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementEndpointsIT extends GatewayTest {

    private static final String CANARY = "metrics-canary-5d1e9b";
    private static final String DEPLOYMENT = "/v1/projects/scraped/environments/production/services/api";

    /** Every route Micronaut management, micrometer and flyway can serve, with the method that reaches it. */
    private static final List<String[]> MANAGEMENT_ROUTES = List.of(
            new String[] {"GET", "/routes"},
            new String[] {"GET", "/threaddump"},
            new String[] {"GET", "/info"},
            new String[] {"GET", "/metrics"},
            new String[] {"GET", "/metrics/jvm.memory.used"},
            new String[] {"GET", "/beans"},
            new String[] {"GET", "/env"},
            new String[] {"GET", "/env/vaultgate"},
            new String[] {"GET", "/loggers"},
            new String[] {"GET", "/loggers/ROOT"},
            new String[] {"POST", "/loggers/ROOT"},
            new String[] {"GET", "/caches"},
            new String[] {"DELETE", "/caches"},
            new String[] {"GET", "/flyway"},
            new String[] {"GET", "/refresh"},
            new String[] {"POST", "/refresh"},
            new String[] {"POST", "/stop"},
            new String[] {"GET", "/prometheus"},
            new String[] {"GET", "/health/details"});

    private ApiClient api;
    private ApiClient anonymous;

    @BeforeAll
    void createCatalog() {
        api = admin();
        anonymous = api.withToken(null);
        ok(api.put("/v1/projects/scraped", null));
        ok(api.put("/v1/projects/scraped/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/scraped/services/api", null));
        ok(api.put(DEPLOYMENT, null));
    }

    @Test
    void withoutATokenEveryManagementPathAnswers401Or404() {
        for (String[] route : MANAGEMENT_ROUTES) {
            Answer answer = anonymous.send(route[0], route[1], route[0].equals("GET") ? null : "{}", Map.of());
            assertThat(answer.status())
                    .as(route[0] + " " + route[1] + ": " + answer.body())
                    .isIn(401, 404);
        }
    }

    @Test
    void unneededManagementEndpointsAreOffEvenForAnAdmin() {
        for (String[] route : MANAGEMENT_ROUTES) {
            if (route[1].equals("/prometheus") || route[1].startsWith("/health")) {
                continue;
            }
            Answer answer = api.send(route[0], route[1], route[0].equals("GET") ? null : "{}", Map.of());
            assertThat(answer.status())
                    .as(route[0] + " " + route[1] + ": " + answer.body())
                    .isEqualTo(404);
        }
    }

    @Test
    void healthLivenessAndReadinessAnswerWithoutATokenAndShowNoDetails() {
        for (String path : List.of("/health", "/health/liveness", "/health/readiness")) {
            Answer health = anonymous.get(path);
            assertThat(health.status()).as(path).isEqualTo(200);
            assertThat(health.json().path("status").asText()).as(path).isEqualTo("UP");
            JsonNode details = health.json().path("details");
            assertThat(details.isMissingNode() || details.isNull())
                    .as(path + ": " + health.body())
                    .isTrue();
        }
    }

    @Test
    void anOpenPathWithATrailingLineFeedNeedsAToken() {
        for (String path : List.of("/health%0a", "/health/liveness%0a", "/openapi.yml%0a", "/openapi.yml%0d%0a")) {
            Answer answer = anonymous.get(path);
            assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(401);
        }
    }

    @Test
    void prometheusNeedsAnAdminOrAMetricsReaderNotJustAnyToken() {
        String workload =
                api.post(DEPLOYMENT + "/tokens", json()).json().path("token").asText();
        String projectAdmin = operatorToken("project-admin");
        String deployer = operatorToken("deployer");

        assertThat(anonymous.get("/prometheus").status()).isEqualTo(401);
        assertThat(api.withToken("not-a-token").get("/prometheus").status()).isEqualTo(401);
        for (String token : List.of(workload, projectAdmin, deployer, stack().createToken())) {
            Answer refused = api.withToken(token).get("/prometheus");
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("forbidden");
            assertThat(refused.body()).doesNotContain("jvm_").doesNotContain("http_server_requests");
        }
        for (String token : List.of(stack().createToken("vaultgate-metrics"), stack().adminToken())) {
            Answer scrape = api.withToken(token).get("/prometheus");
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.body()).contains("http_server_requests_seconds");
        }
    }

    @Test
    void aMetricsTokenReadsMetricsAndNothingElse() {
        ApiClient scraper = api.withToken(stack().createToken("vaultgate-metrics"));

        assertThat(scraper.get("/v1/projects").status()).isEqualTo(403);
        assertThat(scraper.get("/v1/projects/scraped/secrets").status()).isEqualTo(403);
        assertThat(scraper.get("/v1/events?project=scraped").status()).isEqualTo(403);
        assertThat(scraper.post(DEPLOYMENT + "/tokens", json()).status()).isEqualTo(403);
    }

    @Test
    void thePrometheusOutputHoldsNoTokenAccessorOrValue() {
        ok(api.put(DEPLOYMENT + "/secrets/CANARY_KEY", json("value", CANARY)));
        Answer minted = api.post(DEPLOYMENT + "/tokens", json("ttlSeconds", 600));
        String workload = minted.json().path("token").asText();
        String accessor = minted.json().path("accessor").asText();
        Answer operator = api.post("/v1/projects/scraped/operator-tokens", json("role", "deployer", "ttlSeconds", 600));
        String deployer = operator.json().path("token").asText();
        String deployerAccessor = operator.json().path("accessor").asText();
        EnvClient env = new EnvClient(URI.create(server.getURL().toString()));

        assertThat(env.fetch(workload).body()).contains(CANARY);
        assertThat(env.fetch(workload, "?format=shell", Map.of()).status()).isEqualTo(200);
        api.withToken(deployer).get("/v1/projects/scraped/secrets");
        // Paths and queries that carry a token, an accessor or a value, on routes and off them.
        anonymous.get("/v1/tokens/" + accessor);
        anonymous.get("/nowhere/" + workload + "?value=" + CANARY);
        api.get("/v1/projects/scraped/secrets/" + CANARY);
        api.get("/nowhere/" + deployer);
        api.withToken(workload + CANARY).get("/v1/env");
        api.delete("/v1/tokens/" + deployerAccessor);
        api.delete("/v1/tokens/" + accessor);

        Answer scrape = api.withToken(stack().createToken("vaultgate-metrics")).get("/prometheus");

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("http_server_requests_seconds")
                .doesNotContain(CANARY)
                .doesNotContain(workload)
                .doesNotContain(accessor)
                .doesNotContain(deployer)
                .doesNotContain(deployerAccessor)
                .doesNotContain(stack().adminToken())
                .doesNotContain(stack().gatewayToken());
    }

    private String operatorToken(String role) {
        Answer minted = api.post("/v1/projects/scraped/operator-tokens", json("role", role, "ttlSeconds", 600));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }
}
