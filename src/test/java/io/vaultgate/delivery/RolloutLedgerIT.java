package io.vaultgate.delivery;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The rollout ledger on real OpenBao and MariaDB: boot fetches are recorded without a write of
 * their own (the flush writes them), a deployment is stale until every live instance has the
 * new revision, fallback boots show, instance ids are checked, retention is applied.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutLedgerIT extends GatewayTest {

    private static final String PROJECT = "/v1/projects/fleet";
    private static final String API = PROJECT + "/environments/production/services/api";
    private static final String WORKER = PROJECT + "/environments/production/services/worker";
    private ApiClient api;
    private EnvClient env;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "vaultgate.rollout.flush-interval",
                "1s",
                "vaultgate.rollout.max-instances",
                "3",
                "datasources.default.url",
                stack().jdbcUrl() + "&queryInterceptors=" + StatementLog.class.getName());
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        env = new EnvClient(URI.create(server.getURL().toString()));
        ok(api.put(PROJECT, null));
        ok(api.put(PROJECT + "/environments/production", json("type", "production")));
        ok(api.put(PROJECT + "/environments/staging", json("type", "staging")));
        for (String service : List.of("api", "worker", "cron")) {
            ok(api.put(PROJECT + "/services/" + service, null));
            ok(api.put(PROJECT + "/environments/production/services/" + service, null));
        }
        ok(api.put(PROJECT + "/environments/staging/services/api", null));
        ok(api.put(PROJECT + "/secrets/LOG_LEVEL", json("value", "info")));
    }

    @Test
    void aBootFetchIsRecordedWithoutAWriteOfItsOwnAndTheFlushWritesIt() throws Exception {
        String token = mint(PROJECT + "/environments/staging/services/api");
        env.fetch(token); // warm-up: caches and connections
        waitForRows("SELECT COUNT(*) FROM rollout_instance", 1);

        StatementLog.ENTRIES.clear();
        EnvClient.Fetch fetched = env.fetch(token, null, Map.of("Vaultgate-Instance", "staging-api-7f9c"));
        List<StatementLog.Entry> onRequestThreads = StatementLog.ENTRIES.stream()
                .filter(e -> !e.thread().contains("scheduled") && !e.thread().equals("webhook-dispatcher"))
                .filter(e -> !e.sql().strip().equalsIgnoreCase("SELECT 1")
                        && !e.sql().startsWith("/* ping */"))
                .toList();

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(onRequestThreads)
                .as("statements on request threads: %s", onRequestThreads)
                .hasSize(1)
                .noneMatch(e -> e.sql().toLowerCase().contains("rollout_instance"));
        assertThat(count("SELECT COUNT(*) FROM rollout_instance WHERE instance = 'staging-api-7f9c'"))
                .as("not written by the fetch")
                .isZero();
        waitForRows("SELECT COUNT(*) FROM rollout_instance WHERE instance = 'staging-api-7f9c'", 1);
        assertThat(StatementLog.ENTRIES)
                .as("the flush wrote it, on the scheduler's thread")
                .anyMatch(e -> e.sql().startsWith("INSERT INTO rollout_instance")
                        && e.thread().contains("scheduled"));
        // The warm-up fetch sent no instance id: it is its own entry, under the token's accessor.
        JsonNode instance =
                instance(rollout("?environment=staging").path("deployments").get(0), "staging-api-7f9c");
        assertThat(instance.path("instance").asText()).isEqualTo("staging-api-7f9c");
        assertThat(instance.path("revision").asText()).isEqualTo(fetched.etag().replace("\"", ""));
        assertThat(instance.path("tokenAccessor").asText()).isNotBlank();
        assertThat(instance.path("current").asBoolean()).isTrue();
        assertThat(databaseDump()).doesNotContain(token);
    }

    @Test
    void aDeploymentIsStaleUntilEveryLiveInstanceHasRebootedWithTheNewRevision() throws Exception {
        ok(api.put(API + "/secrets/API_KEY", json("value", "one")));
        String first = mint(API);
        String second = mint(API);
        fetchAs(first, "api-1");
        fetchAs(second, "api-2");
        JsonNode before = waitForInstances("api", 2);
        assertThat(before.path("stale").asBoolean()).isFalse();

        ok(api.put(API + "/secrets/API_KEY", json("value", "two")));
        JsonNode changed = deployment(rollout(""), "production", "api");
        assertThat(changed.path("stale").asBoolean()).isTrue();
        assertThat(changed.path("instances")).allMatch(i -> !i.path("current").asBoolean());
        assertThat(rollout("").path("stale").asBoolean()).isTrue();

        fetchAs(mint(API), "api-1"); // the first instance reboots with a new token
        waitFor(() ->
                deployment(rollout(""), "production", "api").path("instances").findValuesAsText("instance").stream()
                        .anyMatch("api-1"::equals));
        waitFor(() -> instance(deployment(rollout(""), "production", "api"), "api-1")
                .path("current")
                .asBoolean());
        assertThat(deployment(rollout(""), "production", "api").path("stale").asBoolean())
                .as("api-2 still runs the old revision")
                .isTrue();

        fetchAs(second, "api-2");
        waitFor(() ->
                !deployment(rollout(""), "production", "api").path("stale").asBoolean());
        assertThat(rollout("?environment=production").path("stale").asBoolean()).isFalse();
    }

    @Test
    void aFallbackBootIsShownAndBadInputIsRefusedWithItsCode() throws Exception {
        String token = mint(WORKER);
        String revision = fetchAs(token, "worker-1");
        String older = "0".repeat(64);
        Answer reported = api.withToken(token)
                .post(
                        "/v1/env/fallback-boots",
                        json(
                                "instance",
                                "worker-2",
                                "revision",
                                older,
                                "bootedAt",
                                Instant.now().toString()));
        assertThat(reported.status()).as(reported.body()).isEqualTo(202);

        waitFor(() -> deployment(rollout(""), "production", "worker")
                        .path("instances")
                        .size()
                == 2);
        JsonNode worker = deployment(rollout(""), "production", "worker");
        assertThat(worker.path("revision").asText()).isEqualTo(revision);
        assertThat(worker.path("stale").asBoolean()).isTrue();
        JsonNode fromFallback = instance(worker, "worker-2");
        assertThat(fromFallback.path("fromFallback").asBoolean()).isTrue();
        assertThat(fromFallback.path("revision").asText()).isEqualTo(older);

        Answer badHeader =
                api.withToken(token).send("GET", "/v1/env", null, Map.of("Vaultgate-Instance", "bad id;<b>"));
        assertThat(badHeader.status()).as("a malformed instance id is refused").isEqualTo(400);
        assertThat(badHeader.code()).isEqualTo("invalid-instance");
        assertThat(badHeader.body()).doesNotContain("<b>");
        assertThat(api.withToken(token)
                        .post(
                                "/v1/env/fallback-boots",
                                json(
                                        "revision",
                                        "nope",
                                        "bootedAt",
                                        Instant.now().toString()))
                        .code())
                .isEqualTo("invalid-request");
        assertThat(api.withToken(token)
                        .post(
                                "/v1/env/fallback-boots",
                                json(
                                        "instance",
                                        "x".repeat(129),
                                        "revision",
                                        older,
                                        "bootedAt",
                                        Instant.now().toString()))
                        .code())
                .isEqualTo("invalid-instance");

        // Whoever reads the project's metadata reads its rollout; a workload token does not.
        String deployer = api.post(PROJECT + "/operator-tokens", json("role", "deployer", "ttlSeconds", 600))
                .json()
                .path("token")
                .asText();
        assertThat(api.withToken(deployer).get(PROJECT + "/rollout").status()).isEqualTo(200);
        assertThat(api.withToken(token).get(PROJECT + "/rollout").status()).isEqualTo(403);
        assertThat(api.withToken(deployer)
                        .get(PROJECT + "/rollout?environment=nowhere")
                        .code())
                .isEqualTo("environment-not-found");
        assertThat(api.withToken(deployer)
                        .post(
                                "/v1/env/fallback-boots",
                                json(
                                        "revision",
                                        older,
                                        "bootedAt",
                                        Instant.now().toString()))
                        .code())
                .isEqualTo("not-a-workload-token");
    }

    @Test
    void eachDeploymentKeepsOnlyItsMostRecentlySeenInstances() throws Exception {
        String cron = PROJECT + "/environments/production/services/cron";
        String token = mint(cron);
        List<String> seen = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            fetchAs(token, "cron-" + i);
            seen.add("cron-" + i);
            Thread.sleep(1100); // one flush each, a second apart
        }
        waitForRows(
                "SELECT COUNT(*) FROM rollout_instance r JOIN deployment d ON d.id = r.deployment_id "
                        + "JOIN service s ON s.id = d.service_id WHERE s.slug = 'cron' AND r.instance = 'cron-5'",
                1);
        assertThat(deployment(rollout(""), "production", "cron")
                        .path("instances")
                        .findValuesAsText("instance"))
                .as("max-instances is 3")
                .hasSizeLessThanOrEqualTo(3)
                .contains("cron-5")
                .doesNotContain("cron-1");
    }

    private String fetchAs(String token, String instance) {
        EnvClient.Fetch fetched = env.fetch(token, null, Map.of("Vaultgate-Instance", instance));
        assertThat(fetched.status()).isEqualTo(200);
        return fetched.etag().replace("\"", "");
    }

    private JsonNode waitForInstances(String service, int instances) throws Exception {
        waitFor(() ->
                deployment(rollout(""), "production", service).path("instances").size() >= instances);
        return deployment(rollout(""), "production", service);
    }

    private JsonNode rollout(String query) {
        Answer answer = api.get(PROJECT + "/rollout" + query);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static JsonNode deployment(JsonNode rollout, String environment, String service) {
        for (JsonNode d : rollout.path("deployments")) {
            if (d.path("environment").asText().equals(environment)
                    && d.path("service").asText().equals(service)) {
                return d;
            }
        }
        throw new AssertionError("no deployment " + environment + "/" + service + " in " + rollout);
    }

    private static JsonNode instance(JsonNode deployment, String id) {
        for (JsonNode i : deployment.path("instances")) {
            if (i.path("instance").asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no instance " + id + " in " + deployment);
    }

    private void waitForRows(String sql, long rows) throws Exception {
        waitFor(() -> {
            try {
                return count(sql) >= rows;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s");
            }
            Thread.sleep(200);
        }
    }

    private String mint(String deployment) {
        Answer minted = api.post(deployment + "/tokens", json("ttlSeconds", 600));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }
}
