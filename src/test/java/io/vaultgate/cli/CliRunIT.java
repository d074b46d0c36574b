package io.vaultgate.cli;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.GatewayTest;
import io.vaultgate.identity.JwtIssuer;
import io.vaultgate.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code vaultgate run} on real parts, as its own process: the command it starts gets the
 * deployment's resolved environment over the CLI's own, but never the token the CLI fetched it
 * with, from wherever that token came.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliRunIT extends GatewayTest {

    private static final String DEPLOYMENT = "/v1/projects/acme/environments/production/services/";

    private ApiClient api;

    @BeforeAll
    void createCatalog() {
        api = admin();
        assertThat(api.put("/v1/projects/acme", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/environments/production", json("type", "production"))
                        .status())
                .isEqualTo(201);
        for (String service : List.of("api", "worker")) {
            assertThat(api.put("/v1/projects/acme/services/" + service, null).status())
                    .isEqualTo(201);
            assertThat(api.put(DEPLOYMENT + service, null).status()).isEqualTo(201);
        }
        assertThat(api.put("/v1/projects/acme/secrets/DATABASE_URL", json("value", "postgres://db/acme"))
                        .status())
                .isEqualTo(201);
        assertThat(api.put(DEPLOYMENT + "api/secrets/API_KEY", json("value", "pk_api"))
                        .status())
                .isEqualTo(201);
        // A deployment may hold a VAULTGATE_TOKEN of its own, for a child that calls the gateway itself.
        assertThat(api.put(DEPLOYMENT + "worker/secrets/VAULTGATE_TOKEN", json("value", "worker-own-token"))
                        .status())
                .isEqualTo(201);
    }

    @Test
    @Timeout(120)
    void theCommandGetsTheResolvedKeysAndTheCallersEnvironmentButNotTheGatewayToken() throws Exception {
        String token = workloadToken("api");
        Map<String, String> env = new HashMap<>(Cli.of(address(), token).env());
        env.put("UNRELATED", "kept");

        Cli.Result run = CliProcess.run(env, List.of("run", "--", "env"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.lines())
                .contains(
                        "DATABASE_URL=postgres://db/acme",
                        "API_KEY=pk_api",
                        "UNRELATED=kept",
                        "VAULTGATE_ADDR=" + address(),
                        "PATH=" + System.getenv("PATH"));
        assertThat(run.lines()).noneMatch(line -> line.startsWith("VAULTGATE_TOKEN="));
        assertThat(run.out() + run.err()).doesNotContain(token);
    }

    @Test
    @Timeout(120)
    void aTokenInTheEnvironmentStaysBehindAlsoWhenTheWorkloadTokenCameByFlag() throws Exception {
        String operator = stack().adminToken();

        Cli.Result run = CliProcess.run(
                Cli.of(address(), operator).env(),
                List.of(
                        "--token",
                        workloadToken("api"),
                        "run",
                        "--",
                        "sh",
                        "-c",
                        "printenv VAULTGATE_TOKEN; echo done"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.lines()).containsExactly("done");
        assertThat(run.out() + run.err()).doesNotContain(operator);
    }

    @Test
    @Timeout(120)
    void aVaultgateTokenTheDeploymentResolvesIsPartOfItsEnvironment() throws Exception {
        String token = workloadToken("worker");

        Cli.Result run = CliProcess.run(
                Cli.of(address(), token).env(), List.of("run", "--", "sh", "-c", "printenv VAULTGATE_TOKEN"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.lines()).containsExactly("worker-own-token");
    }

    @Test
    void aCommandThatIsNotFoundIsNotNamedBack() {
        String missing = "no-such-command-Zq7xK2vW9pLm3R";

        Cli.Result run = Cli.of(address(), workloadToken("api")).run("run", "--", missing, "--flag");

        assertThat(run.exit()).isEqualTo(127);
        assertThat(run.err()).contains("COMMAND", "not found");
        CliUsageErrorsTest.assertNoPartOfTheCanaryIn(run.out() + run.err());
    }

    private String workloadToken(String service) {
        ApiClient.Answer minted = api.post(DEPLOYMENT + service + "/tokens", json("ttlSeconds", 300));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    @Test
    @Timeout(120)
    void runWithAJwtFileExchangesTheJwtAndRunsTheCommandInItsBoundDeployment() throws Exception {
        try (JwtIssuer issuer = new JwtIssuer()) {
            String subject = "system:serviceaccount:acme:api";
            Map<String, Object> jwks = new JWKSet(issuer.rsa.toPublicJWK()).toJSONObject();
            assertThat(api.put(
                                    DEPLOYMENT + "api/identity",
                                    json(
                                            "issuer",
                                            issuer.issuer,
                                            "jwks",
                                            jwks,
                                            "audience",
                                            "vaultgate",
                                            "claims",
                                            Map.of("sub", subject)))
                            .status())
                    .isEqualTo(200);
            String jwt = issuer.signRs256(
                    issuer.claims("vaultgate", Map.of("sub", subject)).build());
            Path file = Files.createTempFile("service-account-token", "");
            Files.writeString(file, jwt + "\n");
            Map<String, String> env = Map.of("VAULTGATE_ADDR", address(), "PATH", System.getenv("PATH"));

            Cli.Result run = CliProcess.run(env, List.of("run", "--jwt-file", file.toString(), "--", "env"));

            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.lines()).contains("API_KEY=pk_api", "DATABASE_URL=postgres://db/acme");
            assertThat(run.out() + run.err()).doesNotContain(jwt);
            Files.delete(file);
        }
    }

    private String address() {
        return server.getURL().toString();
    }
}
