package io.vaultgate.console;

import static io.vaultgate.ApiClient.json;
import static io.vaultgate.console.ConsoleClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpMethod;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.vaultgate.LogCapture;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the console refuses, spoken to without a browser: forms without a session, with a wrong or
 * missing CSRF token or from another origin, tokens that are not a person's, stale or forged
 * sessions; and where the token is never kept.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
class ConsoleSecurityIT extends io.vaultgate.GatewayTest {

    private static final String IDLE_SECONDS = "6";

    @Inject
    Router router;

    private LogCapture logs;

    private final String sessionKey = newKey();

    private static String newKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "vaultgate.console.session-key", sessionKey, "vaultgate.console.idle-timeout", IDLE_SECONDS + "s");
    }

    @BeforeAll
    void createCatalog() {
        logs = new LogCapture();
        assertThat(admin().put("/v1/projects/acme", null).status()).isEqualTo(201);
        assertThat(admin().put("/v1/projects/other", null).status()).isEqualTo(201);
        assertThat(admin().put("/v1/projects/acme/environments/staging", json("type", "staging"))
                        .status())
                .isEqualTo(201);
        assertThat(admin().put("/v1/projects/acme/services/api", null).status()).isEqualTo(201);
        assertThat(admin().put("/v1/projects/acme/environments/staging/services/api", null)
                        .status())
                .isEqualTo(201);
    }

    @AfterAll
    void closeLogs() {
        logs.close();
    }

    private ConsoleClient client() {
        return new ConsoleClient(URI.create(server.getURL().toString()));
    }

    private ConsoleClient signedIn(String token) {
        ConsoleClient client = client();
        HttpResponse<String> answer = client.signIn(token);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
        return client;
    }

    private boolean projectExists(String project) {
        return admin().get("/v1/projects/" + project).status() == 200;
    }

    @Test
    void everyConsoleAnswerCarriesTheSecurityHeaders() {
        ConsoleClient client = client();
        for (String path :
                List.of("/console/sign-in", "/console/static/console.css", "/console/projects", "/console/nowhere")) {
            HttpResponse<String> answer = client.get(path);
            assertThat(answer.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .contains("default-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                            + "base-uri 'none'");
            assertThat(answer.headers().firstValue("X-Content-Type-Options"))
                    .as(path)
                    .contains("nosniff");
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
            assertThat(answer.headers().firstValue("Cache-Control")).as(path).contains("no-store");
        }
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndHoldsNoReadableToken() {
        ConsoleClient client = client();
        String csrf = client.csrfOf("/console/sign-in");
        HttpResponse<String> answer =
                client.submit("/console/sign-in", form("token", stack().adminToken(), "csrf", csrf));
        assertThat(answer.statusCode()).isEqualTo(303);
        String setCookie = answer.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(ConsoleFilter.COOKIE + "="))
                .findFirst()
                .orElseThrow();
        assertThat(setCookie)
                .containsIgnoringCase("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/console");
        assertThat(setCookie).doesNotContain(stack().adminToken());
        assertThat(new String(Base64.getUrlDecoder().decode(client.cookie), StandardCharsets.ISO_8859_1))
                .doesNotContain(stack().adminToken());
    }

    @Test
    void aFormWithoutASessionIsRefused() {
        ConsoleClient client = client();
        HttpResponse<String> answer =
                client.submit("/console/projects", form("project", "nosession", "csrf", "anything"));
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("forbidden");
        assertThat(projectExists("nosession")).isFalse();
    }

    @Test
    void aFormWithAWrongOrMissingCsrfTokenIsRefused() {
        ConsoleClient client = signedIn(stack().adminToken());
        assertThat(client.submit("/console/projects", form("project", "nocsrf")).statusCode())
                .isEqualTo(403);
        assertThat(client.submit("/console/projects", form("project", "nocsrf", "csrf", "wrong"))
                        .statusCode())
                .isEqualTo(403);
        ConsoleClient another = signedIn(stack().adminToken());
        String othersCsrf = another.csrfOf("/console/projects");
        assertThat(client.submit("/console/projects", form("project", "nocsrf", "csrf", othersCsrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(projectExists("nocsrf")).isFalse();
    }

    @Test
    void aFormFromAnotherOriginIsRefused() {
        ConsoleClient client = signedIn(stack().adminToken());
        String csrf = client.csrfOf("/console/projects");
        Map<String, String> form = form("project", "crossorigin", "csrf", csrf);
        assertThat(client.post("/console/projects", form, Map.of("Origin", "http://evil.example"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(client.post("/console/projects", form, Map.of("Sec-Fetch-Site", "cross-site"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(client.post("/console/projects", form, Map.of("Sec-Fetch-Site", "same-site"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(client.post("/console/projects", form, Map.of("Origin", "null"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(projectExists("crossorigin")).isFalse();

        assertThat(client.submit("/console/projects", form).statusCode()).isEqualTo(303);
        assertThat(projectExists("crossorigin")).isTrue();
    }

    @Test
    void everyFormOfTheConsoleRefusesAMissingCsrfToken() {
        Map<String, Boolean> forms = router.uriRoutes()
                .filter(route -> route.getHttpMethod() == HttpMethod.POST)
                .filter(route -> route.getUriMatchTemplate().toString().startsWith("/console"))
                .collect(Collectors.toMap(
                        route -> route.getUriMatchTemplate().toString().replaceAll("\\{[^}]+}", "acme"),
                        route -> route.getConsumes().contains(io.micronaut.http.MediaType.MULTIPART_FORM_DATA_TYPE),
                        (a, b) -> a || b));
        assertThat(forms)
                .containsKeys(
                        "/console/sign-in",
                        "/console/sign-out",
                        "/console/projects",
                        "/console/projects/acme/secrets/preview",
                        "/console/projects/acme/secrets/import-preview",
                        "/console/projects/acme/secrets/apply");
        Map<String, Integer> answers = new HashMap<>();
        forms.forEach((path, multipart) -> {
            ConsoleClient client = signedIn(stack().adminToken());
            Map<String, String> headers = Map.of("Origin", "null", "Sec-Fetch-Site", "same-origin");
            HttpResponse<String> answer = multipart
                    ? client.postMultipart(path, form("key", "KEY", "value", "v"), headers)
                    : client.submit(path, form("project", "x"));
            answers.put(path, answer.statusCode());
        });
        assertThat(answers)
                .allSatisfy((path, status) -> assertThat(status).as(path).isEqualTo(403));
    }

    @Test
    void aWorkloadTokenCannotSignIn() {
        String workload = admin().post("/v1/projects/acme/environments/staging/services/api/tokens", json())
                .json()
                .path("token")
                .asText();
        ConsoleClient client = client();
        HttpResponse<String> answer = client.signIn(workload);
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("workload").doesNotContain(workload);
        assertThat(client.get("/console/projects").headers().firstValue("Location"))
                .contains("/console/sign-in");

        HttpResponse<String> nobody = client().signIn(stack().createToken());
        assertThat(nobody.statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = client().signIn("hvs.not-a-token-anyone-has");
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    @Test
    void aDeployerSeesItsProjectButCannotChangeItNorSeeAnother() {
        String deployer = admin().post("/v1/projects/acme/operator-tokens", json("role", "deployer"))
                .json()
                .path("token")
                .asText();
        ConsoleClient client = signedIn(deployer);
        assertThat(client.get("/console/projects").headers().firstValue("Location"))
                .contains("/console/projects/acme");
        assertThat(client.get("/console/projects/acme").statusCode()).isEqualTo(200);
        assertThat(client.get("/console/projects/other").statusCode()).isEqualTo(404);
        String csrf = client.csrfOf("/console/projects/acme");
        assertThat(client.submit("/console/projects/acme/services", form("service", "bydeployer", "csrf", csrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin().get("/v1/projects/acme").body()).doesNotContain("bydeployer");
        assertThat(client.postMultipart(
                                "/console/projects/acme/secrets/import-preview?dryRun=true",
                                form("csrf", csrf, "at", "", "dotenv", "BY_DEPLOYER=x\n"),
                                Map.of("Origin", "null", "Sec-Fetch-Site", "same-origin"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin().get("/v1/projects/acme/secrets").body()).doesNotContain("BY_DEPLOYER");
    }

    @Test
    void aSessionUnusedLongerThanTheIdleTimeoutIsOver() throws InterruptedException {
        ConsoleClient client = signedIn(stack().adminToken());
        assertThat(client.get("/console/projects").statusCode()).isEqualTo(200);
        Thread.sleep(Long.parseLong(IDLE_SECONDS) * 1000 + 1500);
        assertThat(client.get("/console/projects").headers().firstValue("Location"))
                .contains("/console/sign-in");
    }

    @Test
    void aSessionBegunOnOneReplicaIsServedByAnotherWithTheSameKey() {
        ConsoleClient client = signedIn(stack().adminToken());
        Map<String, Object> properties = new HashMap<>(getProperties());
        properties.put("micronaut.server.port", "-1");
        try (ApplicationContext other = ApplicationContext.run(properties, "production")) {
            EmbeddedServer replica = other.getBean(EmbeddedServer.class).start();
            ConsoleClient there = new ConsoleClient(URI.create(replica.getURL().toString()));
            there.cookie = client.cookie;
            assertThat(there.get("/console/projects").statusCode()).isEqualTo(200);
            String csrf = there.csrfOf("/console/projects");
            assertThat(there.submit("/console/projects", form("project", "replicated", "csrf", csrf))
                            .statusCode())
                    .isEqualTo(303);
        }
        assertThat(projectExists("replicated")).isTrue();

        Map<String, Object> otherKey = new HashMap<>(getProperties());
        otherKey.put("micronaut.server.port", "-1");
        otherKey.put("vaultgate.console.session-key", newKey());
        try (ApplicationContext stranger = ApplicationContext.run(otherKey, "production")) {
            EmbeddedServer replica = stranger.getBean(EmbeddedServer.class).start();
            ConsoleClient there = new ConsoleClient(URI.create(replica.getURL().toString()));
            there.cookie = client.cookie;
            assertThat(there.get("/console/projects").headers().firstValue("Location"))
                    .contains("/console/sign-in");
        }
    }

    @Test
    void aCookieChangedByOneCharacterIsNoSession() {
        ConsoleClient client = signedIn(stack().adminToken());
        char[] sealed = client.cookie.toCharArray();
        sealed[sealed.length / 2] = sealed[sealed.length / 2] == 'A' ? 'B' : 'A';
        client.cookie = new String(sealed);
        assertThat(client.get("/console/projects").headers().firstValue("Location"))
                .contains("/console/sign-in");
    }

    @Test
    void theTokenIsKeptNeitherInMysqlNorInTheLogs() throws Exception {
        ConsoleClient client = signedIn(stack().adminToken());
        String csrf = client.csrfOf("/console/projects");
        assertThat(client.submit("/console/projects", form("project", "kept", "csrf", csrf))
                        .statusCode())
                .isEqualTo(303);
        assertThat(databaseDump()).doesNotContain(stack().adminToken());
        assertThat(logs.text()).doesNotContain(stack().adminToken());
    }
}
