package io.vaultgate.cli;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code vaultgate diff} on real parts: a table by default, the answer with -o json, exit codes as documented. */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliDiffIT extends GatewayTest {

    private static final String CANARY = "cli-diff-canary-19ad";

    private Cli cli;
    private ApiClient api;

    @BeforeAll
    void createCatalog() {
        api = admin();
        ok(api.put("/v1/projects/shop", null));
        ok(api.put("/v1/projects/shop/environments/staging", json("type", "staging")));
        ok(api.put("/v1/projects/shop/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/shop/services/api", null));
        ok(api.put("/v1/projects/shop/services/worker", null));
        ok(api.put("/v1/projects/shop/environments/staging/services/api", null));
        ok(api.put("/v1/projects/shop/environments/production/services/api", null));
        ok(api.put("/v1/projects/shop/environments/staging/services/worker", null));
        set("/v1/projects/shop", "LOG_LEVEL", CANARY + "-info");
        set("/v1/projects/shop/environments/staging", "DB_URL", CANARY + "-staging");
        set("/v1/projects/shop/environments/production", "DB_URL", CANARY + "-production");
        set("/v1/projects/shop/environments/staging", "DEBUG", CANARY + "-debug");
        set("/v1/projects/shop/environments/production/services/api", "LOG_LEVEL", CANARY + "-info");
        cli = Cli.of(server.getURL().toString(), stack().adminToken());
    }

    @Test
    void diffPrintsATableOfEveryKeyAndExitsZeroThoughTheEnvironmentsDiffer() {
        Cli.Result diff = cli.run("diff", "-p", "shop", "-e", "staging", "-e", "production");

        assertThat(diff.exit()).as(diff.toString()).isZero();
        assertThat(diff.lines().get(0)).matches("SERVICE +KEY +STAGING +PRODUCTION +DIFFERENCE");
        assertThat(diff.lines())
                .anyMatch(row("api", "DB_URL", "env:staging", "env:production", "different scopes"))
                .anyMatch(row("api", "DEBUG", "env:staging", "-", "only in staging"))
                .anyMatch(row("api", "LOG_LEVEL", "project", "env:production/svc:api", "different scope kinds"))
                .anyMatch(row("worker", "-", "deployed", "-", "deployed only in staging"));
        assertThat(diff.err()).contains("staging (staging) vs production (production)", "1 key(s) only in staging");
        assertThat(diff.out() + diff.err()).doesNotContain(CANARY);
    }

    @Test
    void valuesAddsAColumnSayingWhetherTheValuesAreEqual() {
        Cli.Result diff = cli.run("diff", "-p", "shop", "-e", "staging", "-e", "production", "-s", "api", "--values");

        assertThat(diff.exit()).as(diff.toString()).isZero();
        assertThat(diff.lines().get(0)).matches("SERVICE +KEY +STAGING +PRODUCTION +DIFFERENCE +VALUES");
        assertThat(diff.lines())
                .anyMatch(line -> line.matches("api +DB_URL +.* +differ"))
                .anyMatch(line -> line.matches("api +LOG_LEVEL +.* +equal"))
                .noneMatch(line -> line.startsWith("worker"));
        assertThat(diff.err()).contains("1 of them with different values");
        assertThat(diff.out() + diff.err()).doesNotContain(CANARY);
    }

    @Test
    void outputJsonPrintsTheGatewaysAnswer() {
        Cli.Result diff = cli.run("diff", "-p", "shop", "-e", "staging", "-e", "production", "--values", "-o", "json");

        assertThat(diff.exit()).as(diff.toString()).isZero();
        JsonNode answer = diff.json();
        assertThat(answer.path("summary").path("keysOnlyInFrom").asInt()).isEqualTo(1);
        assertThat(answer.path("summary").path("keysUnequal").asInt()).isEqualTo(1);
        assertThat(diff.out()).doesNotContain(CANARY);
    }

    @Test
    void exitCodesFollowTheScriptingContract() {
        Cli.Result oneEnvironment = cli.run("diff", "-p", "shop", "-e", "staging");
        Cli.Result unknown = cli.run("diff", "-p", "shop", "-e", "staging", "-e", "nowhere");
        Cli.Result same = cli.run("diff", "-p", "shop", "-e", "staging", "-e", "staging");
        String deployerToken = api.post("/v1/projects/shop/operator-tokens", json("role", "deployer"))
                .json()
                .path("token")
                .asText();
        Cli.Result deployerValues =
                cli.withToken(deployerToken).run("diff", "-p", "shop", "-e", "staging", "-e", "production", "--values");

        assertThat(oneEnvironment.exit()).as(oneEnvironment.toString()).isEqualTo(2);
        assertThat(oneEnvironment.err()).contains("-e FROM -e TO");
        assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(3);
        assertThat(same.exit()).as(same.toString()).isEqualTo(1);
        assertThat(deployerValues.exit()).as(deployerValues.toString()).isEqualTo(5);
        assertThat(deployerValues.err()).contains("values=true needs a project admin token");
    }

    /** A table row of exactly these cells, however the columns are padded. */
    private static Predicate<String> row(String... cells) {
        List<String> quoted = Arrays.stream(cells).map(Pattern::quote).toList();
        return Pattern.compile(String.join(" +", quoted)).asMatchPredicate();
    }

    private void set(String scope, String key, String value) {
        Map<String, Object> body = new HashMap<>(json("value", value));
        ok(api.put(scope + "/secrets/" + key, body));
    }

    private static void ok(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
    }
}
