package io.vaultgate.identity;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Workload identity federation on real OpenBao and MariaDB: a deployment bound to a loopback
 * issuer whose keys are made here, JWTs exchanged for workload tokens, and each kind of bad JWT
 * refused without a token minted.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtExchangeIT extends GatewayTest {

    private static final JwtIssuer ISSUER = new JwtIssuer();
    private static final String DEPLOYMENT = "/v1/projects/shop/environments/production/services/api";
    private static final String SUBJECT = "system:serviceaccount:shop:api";
    private static final String AUDIENCE = "vaultgate";

    private ApiClient api;
    private ApiClient anonymous;
    private EnvClient env;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "vaultgate.identity-federation.allowed-jwks-urls", ISSUER.base(),
                "vaultgate.identity-federation.jwks-refresh-min-interval", "10ms",
                "vaultgate.auth.unknown-tokens-per-second", "1000");
    }

    @BeforeAll
    void bindTheDeployment() {
        api = admin();
        anonymous = api.withToken(null);
        env = new EnvClient(URI.create(server.getURL().toString()));
        ok(api.put("/v1/projects/shop", null));
        ok(api.put("/v1/projects/shop/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/shop/services/api", null));
        ok(api.put("/v1/projects/shop/services/worker", null));
        ok(api.put(DEPLOYMENT, null));
        ok(api.put("/v1/projects/shop/environments/production/services/worker", null));
        ok(api.put(DEPLOYMENT + "/secrets/DB_PASSWORD", json("value", "canary-db-secret")));
        ok(api.put(DEPLOYMENT + "/identity", binding(Map.of("sub", SUBJECT))));
    }

    @AfterAll
    void stopTheIssuer() {
        ISSUER.close();
    }

    private static Map<String, Object> binding(Map<String, String> claims) {
        return json("issuer", ISSUER.issuer, "jwksUrl", ISSUER.jwksUrl(), "audience", AUDIENCE, "claims", claims);
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
    }

    private static JWTClaimsSet.Builder good() {
        return ISSUER.claims(AUDIENCE, Map.of("sub", SUBJECT));
    }

    private Answer exchange(String jwt) {
        return anonymous.post("/v1/auth/jwt", json("jwt", jwt));
    }

    @Test
    void aValidJwtIsExchangedForAWorkloadTokenOfExactlyItsDeployment() throws Exception {
        String jwt = ISSUER.signRs256(good().build());
        Answer exchanged;
        try (LogCapture logs = new LogCapture()) {
            exchanged = exchange(jwt);
            assertThat(logs.text()).doesNotContain(jwt);
        }

        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        assertThat(exchanged.json().path("project").asText()).isEqualTo("shop");
        assertThat(exchanged.json().path("environment").asText()).isEqualTo("production");
        assertThat(exchanged.json().path("service").asText()).isEqualTo("api");
        String token = exchanged.json().path("token").asText();
        String accessor = exchanged.json().path("accessor").asText();
        EnvClient.Fetch fetched = env.fetch(token, "", Map.of());
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).contains("canary-db-secret");
        // Recorded and revocable like any workload token, audited, and the JWT stored nowhere.
        assertThat(count("SELECT COUNT(*) FROM issued_token WHERE accessor = '" + accessor
                        + "' AND created_by = 'identity-federation'"))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM jwt_exchange WHERE accessor = '" + accessor
                        + "' AND outcome = 'succeeded' AND subject = '" + SUBJECT + "'"))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'token.exchange' AND scope LIKE '%" + accessor
                        + "'"))
                .isEqualTo(1);
        assertThat(databaseDump()).doesNotContain(jwt).doesNotContain(token);
        assertThat(api.delete("/v1/tokens/" + accessor).status()).isEqualTo(204);
        assertThat(env.fetch(token, "", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void aJwtAsTheBearerOfAGetEnvFetchesWithATokenMintedForThatOneFetch() throws Exception {
        String jwt = ISSUER.signRs256(good().build());

        EnvClient.Fetch fetched = env.fetch(jwt, "", Map.of());

        assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
        assertThat(fetched.body()).contains("canary-db-secret");
        // One boot fetch's worth of uses: Vault revoked it at its last read.
        assertThat(count("SELECT COUNT(*) FROM issued_token WHERE created_by = 'identity-federation'"
                        + " AND boot_fetches = 1"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void anExpiredJwtIsRefused() {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        String jwt = ISSUER.signRs256(good().issueTime(Date.from(past.minus(Duration.ofMinutes(5))))
                .notBeforeTime(Date.from(past.minus(Duration.ofMinutes(5))))
                .expirationTime(Date.from(past))
                .build());

        assertRefused(exchange(jwt), 401, "jwt-invalid", "expired", jwt);
        assertThat(env.fetch(jwt, "", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void aJwtForAnotherAudienceIsRefused() {
        String jwt = ISSUER.signRs256(
                ISSUER.claims("someone-else", Map.of("sub", SUBJECT)).build());

        assertRefused(exchange(jwt), 401, "jwt-invalid", "audience", jwt);
    }

    @Test
    void aJwtWhoseClaimMatchesNoBindingIsRefused() {
        String jwt = ISSUER.signRs256(ISSUER.claims(AUDIENCE, Map.of("sub", "system:serviceaccount:shop:intruder"))
                .build());

        assertRefused(exchange(jwt), 403, "identity-not-bound", null, jwt);
        EnvClient.Fetch fetched = env.fetch(jwt, "", Map.of());
        assertThat(fetched.status()).isEqualTo(403);
        assertThat(fetched.body()).contains("identity-not-bound").doesNotContain("intruder");
    }

    @Test
    void aJwtSignedByAKeyTheIssuerDoesNotPublishIsRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        String jwt = JwtIssuer.sign(stranger, JWSAlgorithm.RS256, good().build());

        assertRefused(exchange(jwt), 401, "jwt-invalid", "unknown-key", jwt);
    }

    @Test
    void anUnsignedJwtIsRefused() {
        String jwt = JwtIssuer.unsigned(good().build());

        assertRefused(exchange(jwt), 401, "jwt-invalid", "algorithm", jwt);
        assertThat(env.fetch(jwt, "", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void anHmacJwtKeyedWithTheIssuersPublicKeyIsRefused() {
        String jwt = ISSUER.hmacWithPublicKey(good().build());

        assertRefused(exchange(jwt), 401, "jwt-invalid", "algorithm", jwt);
    }

    @Test
    void aKeyTheIssuerRotatesInIsFetchedOnItsUnknownKid() throws Exception {
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("rotated").generate();
        assertThat(exchange(ISSUER.signRs256(good().build())).status()).isEqualTo(200); // the set is cached
        ISSUER.publish(rotated);

        Answer exchanged = exchange(JwtIssuer.sign(rotated, JWSAlgorithm.RS256, good().build()));

        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
    }

    @Test
    void anEcJwtVerifiesToo() {
        Answer exchanged = exchange(JwtIssuer.sign(ISSUER.ec, JWSAlgorithm.ES256, good().build()));

        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
    }

    @Test
    void aBindingIsShownAndRemovedAndItsUrlMustBeAllowed() {
        String worker = "/v1/projects/shop/environments/production/services/worker/identity";
        assertThat(api.get(worker).code()).isEqualTo("identity-binding-not-found");
        Answer refused = api.put(
                worker,
                json(
                        "issuer",
                        ISSUER.issuer,
                        "jwksUrl",
                        "http://169.254.169.254/keys",
                        "audience",
                        AUDIENCE,
                        "claims",
                        Map.of("sub", "w")));
        assertThat(refused.code()).isEqualTo("jwks-url-not-allowed");
        assertThat(api.put(worker, binding(Map.of("sub", SUBJECT))).code()).isEqualTo("identity-already-bound");

        ok(api.put(worker, binding(Map.of("sub", "system:serviceaccount:shop:worker"))));
        Answer shown = api.get(worker);
        assertThat(shown.json().path("issuer").asText()).isEqualTo(ISSUER.issuer);
        assertThat(shown.json().path("claims").path("sub").asText()).isEqualTo("system:serviceaccount:shop:worker");
        String jwt = ISSUER.signRs256(ISSUER.claims(AUDIENCE, Map.of("sub", "system:serviceaccount:shop:worker"))
                .build());
        assertThat(exchange(jwt).json().path("service").asText()).isEqualTo("worker");

        assertThat(api.delete(worker).status()).isEqualTo(204);
        assertRefused(exchange(jwt), 403, "identity-not-bound", null, jwt);
        assertThat(api.delete(worker).code()).isEqualTo("identity-binding-not-found");
    }

    @Test
    void deletingADeploymentDeletesItsBindingAndItsJwtsNoLongerExchange() throws Exception {
        String cron = "/v1/projects/shop/environments/production/services/cron";
        String subject = "system:serviceaccount:shop:cron";
        ok(api.put("/v1/projects/shop/services/cron", null));
        ok(api.put(cron, null));
        ok(api.put(cron + "/identity", binding(Map.of("sub", subject))));
        String jwt =
                ISSUER.signRs256(ISSUER.claims(AUDIENCE, Map.of("sub", subject)).build());
        assertThat(exchange(jwt).status()).isEqualTo(200);

        assertThat(api.delete(cron).status()).isEqualTo(204);

        assertThat(count("SELECT COUNT(*) FROM identity_binding WHERE service = 'cron'"))
                .isZero();
        assertRefused(exchange(jwt), 403, "identity-not-bound", null, jwt);
    }

    @Test
    void aJwtIsNoBearerTokenAnywhereButGetEnv() {
        String jwt = ISSUER.signRs256(good().build());

        assertThat(api.withToken(jwt).get("/v1/projects/shop").status()).isEqualTo(401);
    }

    private void assertRefused(Answer answer, int status, String code, String reason, String jwt) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.code()).isEqualTo(code);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).doesNotContain(jwt).doesNotContain(SUBJECT).doesNotContain("intruder");
        if (reason != null) {
            assertThat(answer.json().path("detail").asText()).contains("(" + reason + ")");
        }
        try {
            assertThat(count("SELECT COUNT(*) FROM jwt_exchange WHERE request_id = '"
                            + answer.json().path("requestId").asText() + "' AND outcome = 'refused'"))
                    .isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
