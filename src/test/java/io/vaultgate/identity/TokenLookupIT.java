package io.vaultgate.identity;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A revoked token is dead everywhere at once, and tokens that are no tokens cannot knock boot
 * fetches over: on real OpenBao and MariaDB, with two gateway replicas sharing them.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenLookupIT extends GatewayTest {

    private static final String DEPLOYMENT = "/v1/projects/acme/environments/production/services/api";
    private ApiClient api;
    private EnvClient env;

    @Override
    protected Map<String, String> extraProperties() {
        // Long enough that a replica still trusting its cached lookup would show.
        return Map.of("vaultgate.auth.cache-ttl", "60s");
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        env = new EnvClient(URI.create(server.getURL().toString()));
        ok(api.put("/v1/projects/acme", null));
        ok(api.put("/v1/projects/acme/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/acme/services/api", null));
        ok(api.put(DEPLOYMENT, null));
        ok(api.put("/v1/projects/acme/secrets/WHO", json("value", "acme")));
    }

    @Test
    void anAccessorIsMatchedExactlySoARevocationNeverAnswers204ForAnotherToken() {
        Answer minted = api.post(DEPLOYMENT + "/tokens", json());
        String token = minted.json().path("token").asText();
        String accessor = minted.json().path("accessor").asText();
        String otherCase = swapCase(accessor);
        assertThat(otherCase).isNotEqualTo(accessor);

        Answer wrong = api.delete("/v1/tokens/" + otherCase);

        assertThat(wrong.status()).as(wrong.body()).isEqualTo(404);
        assertThat(wrong.code()).isEqualTo("token-not-found");
        assertThat(env.fetch(token).status())
                .as("not revoked: it was not named")
                .isEqualTo(200);
        assertThat(api.delete("/v1/tokens/" + accessor).status()).isEqualTo(204);
        assertThat(env.fetch(token).status()).isEqualTo(401);
    }

    @Test
    void aTokenRevokedThroughOneReplicaStopsWorkingOnAnotherAtOnce() throws Exception {
        try (EmbeddedServer second = ApplicationContext.run(
                EmbeddedServer.class, new HashMap<String, Object>(getProperties()), "production")) {
            Answer minted = api.post("/v1/projects/acme/operator-tokens", json("role", "deployer"));
            ApiClient viaSecond = new ApiClient(
                    URI.create(second.getURL().toString()),
                    minted.json().path("token").asText());
            assertThat(viaSecond.get("/v1/projects/acme/secrets").status())
                    .as("now cached there")
                    .isEqualTo(200);

            assertThat(api.delete("/v1/tokens/" + minted.json().path("accessor").asText())
                            .status())
                    .isEqualTo(204);

            Instant giveUpAt = Instant.now().plusSeconds(10);
            int status = viaSecond.get("/v1/projects/acme/secrets").status();
            while (status == 200 && Instant.now().isBefore(giveUpAt)) {
                Thread.sleep(100);
                status = viaSecond.get("/v1/projects/acme/secrets").status();
            }
            assertThat(status)
                    .as("the second replica, whose cache would trust it for 60 s")
                    .isEqualTo(401);
        }
    }

    @Test
    void aFloodOfGarbageTokensCannotOpenTheBreakerBootFetchesDependOn() throws Exception {
        String token =
                api.post(DEPLOYMENT + "/tokens", json()).json().path("token").asText();
        assertThat(env.fetch(token).status()).isEqualTo(200);
        try (var quota = stack().limitTokenCalls(5)) {
            List<Integer> statuses = GarbageTokens.flood(api, "lookups", 200);

            EnvClient.Fetch boot = env.fetch(token);
            assertThat(boot.status())
                    .as("a boot fetch right after the flood: %s", boot.body())
                    .isEqualTo(200);
            assertThat(statuses)
                    .as("the flood is refused, never served")
                    .allMatch(s -> s == 401 || s == 429 || s == 503);
            assertThat(statuses).as("the source's budget ran out").contains(429);
        } finally {
            letTheBudgetRefill();
        }
    }

    @Test
    void aSourceThatSpentItsBudgetOfUnknownTokensGets429WithRetryAfter() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        // Eight at a time, so that a busy machine still sends more than the 20 a second it may.
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<HttpResponse<String>>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < 80; i++) {
                int n = i;
                // Made-up forwarding headers do not buy a fresh budget: only a configured proxy header would.
                sent.add(clients.submit(() -> http.send(
                        HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/projects"))
                                .header("Authorization", "Bearer hvs.unknown-" + n)
                                .header("X-Forwarded-For", "203.0.113." + n)
                                .header("Forwarded", "for=198.51.100." + n)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())));
            }
        } finally {
            clients.shutdown();
        }
        HttpResponse<String> throttled = null;
        for (java.util.concurrent.Future<HttpResponse<String>> answer : sent) {
            HttpResponse<String> response = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.statusCode()).isIn(401, 429);
            if (response.statusCode() == 429 && throttled == null) {
                throttled = response;
            }
        }

        assertThat(throttled)
                .as("refused within 80 unknown tokens, eight at a time")
                .isNotNull();
        assertThat(throttled.headers().firstValue("Retry-After")).contains("1");
        assertThat(throttled.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(throttled.body()).contains("\"code\":\"rate-limited\"");
        // A known caller from the same address is unaffected.
        assertThat(api.get("/v1/projects/acme/secrets").status()).isEqualTo(200);
        letTheBudgetRefill();
    }

    @Test
    void aSourceCannotRenewItsBudgetOfUnknownTokensByNamingAnotherAddressInAHeader() {
        // One client on one socket address; only the headers it writes itself change. Nothing in
        // this test's configuration says a proxy sits in front, so neither header may be believed.
        // Four at a time, so that a busy machine still sends more than the 20 a second it may.
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int n = 0; n < 80; n++) {
                int i = n;
                sent.add(clients.submit(() -> {
                    Map<String, String> spoofed = i % 2 == 0
                            ? Map.of("X-Forwarded-For", "203.0.113." + (i % 250))
                            : Map.of("Forwarded", "for=198.51.100." + (i % 250));
                    statuses.add(api.withToken("hvs.spoofed-" + i + "-" + System.nanoTime())
                            .send("GET", "/v1/projects/acme/secrets", null, spoofed)
                            .status());
                }));
            }
            for (java.util.concurrent.Future<?> request : sent) {
                request.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            clients.shutdownNow();
        }

        assertThat(statuses)
                .as("unknown tokens from one address, each naming another address")
                .contains(429);
    }

    @Test
    void aTokenMintedThroughTheGatewaysRolesButNotByTheGatewayHoldsNoRoleHere() {
        // A stolen copy of the gateway's Vault token, used to mint through the operator role
        // directly and then revoked, as incident response would: what it minted must not outlive it.
        String stolen = stack().vault(
                        "POST",
                        "auth/token/create",
                        stack().rootToken(),
                        Map.of(
                                "policies",
                                List.of("vaultgate-gateway"),
                                "no_default_policy",
                                true,
                                "no_parent",
                                true,
                                "ttl",
                                "10m"))
                .body()
                .path("auth")
                .path("client_token")
                .asText();
        String planted = stack().vault(
                        "POST",
                        "auth/token/create/vaultgate-operator",
                        stolen,
                        Map.of(
                                "policies",
                                List.of("vaultgate-project-admin"),
                                "meta",
                                Map.of("project", "acme"),
                                "ttl",
                                "24h"))
                .body()
                .path("auth")
                .path("client_token")
                .asText();
        assertThat(planted).isNotBlank();
        assertThat(stack().vault("POST", "auth/token/revoke", stack().rootToken(), Map.of("token", stolen))
                        .status())
                .isEqualTo(204);

        Answer read = api.withToken(planted).get("/v1/projects/acme/secrets");

        assertThat(read.status())
                .as("a project-admin token this gateway never minted: %s", read.body())
                .isIn(401, 403);
    }

    @Test
    void aTextThatCannotBeATokenIsRefusedWithoutALookup() {
        for (String notAToken : List.of("a b", "x".repeat(2000), "tok\u00e9n", "\"quoted\"", "a=b=c")) {
            Answer refused = api.withToken(notAToken).get("/v1/projects/acme/secrets");
            assertThat(refused.status())
                    .as(notAToken.length() > 50 ? "long" : notAToken)
                    .isIn(400, 401);
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** Every test here calls from 127.0.0.1: the next one must not start on a spent budget. */
    private static void letTheBudgetRefill() throws InterruptedException {
        Thread.sleep(1_100);
    }

    private String lookupAccessor(String token) {
        return stack().vault("POST", "auth/token/lookup", stack().rootToken(), Map.of("token", token))
                .body()
                .path("data")
                .path("accessor")
                .asText();
    }

    private static String swapCase(String text) {
        StringBuilder swapped = new StringBuilder();
        for (char c : text.toCharArray()) {
            swapped.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return swapped.toString();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }
}
