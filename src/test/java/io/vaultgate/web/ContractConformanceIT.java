package io.vaultgate.web;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract is tested, not described: openapi-spec-validator checks the document the gateway
 * serves, and schemathesis sends generated requests (valid and not) to every operation of a
 * gateway on real OpenBao and MariaDB and checks each answer: never a 5xx, a status the operation
 * documents (each lists its own, no wildcards) with its media type, headers and schema, every
 * schema-valid request accepted and every schema-violating one refused. It does so as an admin
 * (who reaches every route), as a deployer of the project (whose refusals, 403 and 404, are checked
 * too), as a workload token on {@code GET /v1/env} (200 and 304), and without a token (401). What the
 * schema cannot say is in {@code src/test/resources/contract/schemathesis.toml}, with why.
 *
 * <p>Both tools come from PyPI, installed by scripts/test-services.sh into .cache/contract-tools; a
 * missing one fails this test rather than skipping it. {@code -Dcontract.examples=N} sets the
 * examples per operation, {@code -Dcontract.seed=N} the seed, {@code -Dcontract.checks=all} runs
 * every check schemathesis has.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractConformanceIT extends GatewayTest {

    private static final int EXAMPLES = Integer.getInteger("contract.examples", 12);
    private static final long SEED = Long.getLong("contract.seed", System.nanoTime() & 0xffffffL);
    private static final String CHECKS = System.getProperty(
            "contract.checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
                    + "response_schema_conformance,positive_data_acceptance,negative_data_rejection");
    private static final long RUN_MINUTES = 6;

    @TempDir
    Path work;

    private String deployer;
    private String workload;

    @Override
    protected Map<String, String> extraProperties() {
        // Generated requests are many writes and dry runs in a row from one token; the limits
        // themselves are GuessingOracleIT's and CallerLimitsTest's to test.
        return Map.of("vaultgate.rate-limit.dry-runs", "100000", "vaultgate.rate-limit.writes", "100000");
    }

    @BeforeAll
    void givesTheGeneratedRequestsSomethingToFindAndTokensToFindItWith() {
        ApiClient api = admin();
        api.put("/v1/projects/acme", null);
        api.put("/v1/projects/acme/environments/production", json("type", "production"));
        api.put("/v1/projects/acme/services/api", null);
        api.put("/v1/projects/acme/environments/production/services/api", null);
        api.put("/v1/projects/acme/secrets/DATABASE_URL", json("value", "postgres://db.example/acme"));
        deployer = api.post("/v1/projects/acme/operator-tokens", json("role", "deployer", "ttlSeconds", 3600))
                .json()
                .path("token")
                .asText();
        workload = api.post("/v1/projects/acme/environments/production/services/api/tokens", json("ttlSeconds", 3600))
                .json()
                .path("token")
                .asText();
    }

    @Test
    void theServedDocumentIsAValidOpenApiDocument() throws Exception {
        Path document = work.resolve("openapi.yml");
        Files.writeString(
                document,
                new ApiClient(server.getURI(), null).get("/openapi.yml").body());

        Run run = run(List.of(tool("openapi-spec-validator"), document.toString()), 2);

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void asAnAdminEveryGeneratedRequestGetsItsDocumentedAnswer() throws Exception {
        Run run = schemathesis("Authorization: Bearer " + stack().adminToken(), List.of());

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void asADeployerEveryRefusalIsDocumentedToo() throws Exception {
        Run run = schemathesis("Authorization: Bearer " + deployer, List.of());

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void asAWorkloadTheBootFetchAnswersAsDocumented() throws Exception {
        Run run = schemathesis("Authorization: Bearer " + workload, List.of("--include-path", "/v1/env"));

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void withoutATokenEveryOperationAnswersItsDocumented401() throws Exception {
        // Every request is refused before its route: a few per operation say as much as many.
        Run run = schemathesis(null, List.of("--phases", "fuzzing", "--max-examples", "2"));

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    private Run schemathesis(String authorization, List<String> options) throws IOException, InterruptedException {
        Path config = work.resolve("schemathesis.toml");
        try (InputStream in = getClass().getResourceAsStream("/contract/schemathesis.toml")) {
            Files.write(config, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of(
                tool("schemathesis"),
                "--config-file",
                config.toString(),
                "run",
                server.getURI() + "/openapi.yml",
                "--url",
                server.getURI().toString(),
                "--checks",
                CHECKS,
                "--max-examples",
                String.valueOf(EXAMPLES),
                "--phases",
                "examples,coverage,fuzzing",
                "--workers",
                "1",
                "--request-timeout",
                "20",
                "--no-color",
                "--suppress-health-check",
                "all",
                "--seed",
                String.valueOf(SEED)));
        if (authorization != null) {
            command.addAll(List.of("--header", authorization));
        }
        // A later option wins: a pass may narrow the phases or the examples.
        command.addAll(options);
        return run(command, RUN_MINUTES);
    }

    private static String tool(String name) {
        Path tool = Path.of(System.getProperty("contract.tools", ".cache/contract-tools"), "bin", name)
                .toAbsolutePath();
        if (!Files.isExecutable(tool)) {
            throw new AssertionError(tool + " is missing: run bash scripts/test-services.sh, which installs the "
                    + "versions pinned in scripts/contract-tools/requirements.txt");
        }
        return tool.toString();
    }

    private record Run(int exitCode, String output) {}

    private Run run(List<String> command, long minutes) throws IOException, InterruptedException {
        Path output = Files.createTempFile(work, "out", ".txt");
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Run(
                    -1, "timed out after " + minutes + " min\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(text);
        return new Run(process.exitValue(), text);
    }
}
