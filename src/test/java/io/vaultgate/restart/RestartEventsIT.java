package io.vaultgate.restart;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Restart events end to end on real OpenBao and MariaDB: who restarts follows precedence and
 * real value changes, and every event reaches a Standard Webhooks receiver through failures.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestartEventsIT extends GatewayTest {

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        return dispatchProperties();
    }

    static Map<String, String> dispatchProperties() {
        return Map.of(
                "vaultgate.restart.poll-interval", "100ms",
                "vaultgate.restart.lease", "2s",
                "vaultgate.restart.retry-schedule", "50ms,100ms,200ms,400ms,800ms,1s,1s,1s,1s,1s,1s,1s",
                "vaultgate.restart.circuit-open-wait", "200ms",
                "vaultgate.restart.request-timeout", "2s");
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        for (String project : List.of("shop", "burst", "flaky", "outage", "crash", "hostile", "healthy")) {
            ok(api.put("/v1/projects/" + project, null));
            // The receivers listen on loopback, which a project's hooks reach only once an admin allows it.
            ok(api.put("/v1/projects/" + project + "/hook-networks", json("allowedPrivate", List.of("127.0.0.1/32"))));
            ok(api.put("/v1/projects/" + project + "/environments/prod", json("type", "production")));
            ok(api.put("/v1/projects/" + project + "/environments/stage", json("type", "staging")));
            for (String service : List.of("api", "web")) {
                ok(api.put("/v1/projects/" + project + "/services/" + service, null));
                ok(api.put("/v1/projects/" + project + "/environments/prod/services/" + service, null));
                ok(api.put("/v1/projects/" + project + "/environments/stage/services/" + service, null));
            }
        }
    }

    @Test
    void restartsExactlyTheDeploymentsWhoseResolvedValueChanged() {
        ok(api.put("/v1/projects/shop/environments/prod/services/api/secrets/DB", json("value", "override")));

        assertThat(restarts(api.put("/v1/projects/shop/secrets/DB", json("value", "one"))))
                .containsExactlyInAnyOrder("prod/web", "stage/api", "stage/web");
        assertThat(restarts(api.put("/v1/projects/shop/secrets/DB", json("value", "one"))))
                .isEmpty();
        assertThat(restarts(api.delete("/v1/projects/shop/environments/prod/services/api/secrets/DB?dryRun=true")))
                .containsExactly("prod/api");
        assertThat(restarts(api.put("/v1/projects/shop/services/web/secrets/DB", json("value", "one"))))
                .isEmpty();
        assertThat(restarts(api.put("/v1/projects/shop/environment-types/staging/secrets/DB", json("value", "two"))))
                .containsExactly("stage/api");
    }

    @Test
    void registeringADeploymentAndChangingAnEnvironmentTypeRestartWhatTheyAffect() {
        ok(api.put("/v1/projects/shop/environment-types/preview/secrets/PREVIEW_ONLY", json("value", "p")));
        ok(api.put("/v1/projects/shop/services/jobs", null));
        long cursor = feed("shop", 0).path("next").asLong();
        Answer wouldRegister = api.put("/v1/projects/shop/environments/stage/services/jobs?dryRun=true", null);
        assertThat(wouldRegister.json().path("wouldCreate").asBoolean()).isTrue();
        assertThat(restarts(wouldRegister)).containsExactly("stage/jobs");
        assertThat(feed("shop", cursor).path("events"))
                .as("a dry run records nothing")
                .isEmpty();

        ok(api.put("/v1/projects/shop/environments/stage/services/jobs", null));
        JsonNode registered = feed("shop", cursor).path("events");
        assertThat(registered).hasSize(1);
        assertThat(registered.get(0).path("reason").asText()).isEqualTo("deployment-registered");
        assertThat(registered.get(0).path("service").asText()).isEqualTo("jobs");
        cursor = feed("shop", 0).path("next").asLong();

        assertThat(restarts(api.put("/v1/projects/shop/environments/stage?dryRun=true", json("type", "preview"))))
                .containsExactlyInAnyOrder("stage/api", "stage/web", "stage/jobs");
        assertThat(feed("shop", cursor).path("events")).isEmpty();
        ok(api.put("/v1/projects/shop/environments/stage", json("type", "preview")));
        JsonNode retyped = feed("shop", cursor).path("events");
        assertThat(retyped).hasSize(3);
        retyped.forEach(event -> {
            assertThat(event.path("reason").asText()).isEqualTo("environment-type-changed");
            assertThat(event.path("keys").toString()).contains("PREVIEW_ONLY");
        });
        ok(api.put("/v1/projects/shop/environments/stage", json("type", "staging")));
    }

    @Test
    void anImportOfManyKeysIsOneEventPerDeploymentNamingEveryChangedKey() {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            keys.put("KEY_" + i, "v" + i);
        }
        long cursor = feed("shop", 0).path("next").asLong();

        Answer imported = api.post("/v1/projects/shop/environments/stage/import", keys);

        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        JsonNode events = feed("shop", cursor).path("events");
        assertThat(events).hasSize(2);
        for (JsonNode event : events) {
            assertThat(event.path("keys")).hasSize(200);
            assertThat(event.path("changeSets").get(0).asText())
                    .isEqualTo(imported.json().path("changeSetId").asText());
            assertThat(event.path("configRevision").asText()).hasSize(64);
        }
        Answer again = api.post("/v1/projects/shop/environments/stage/import", keys);
        assertThat(again.json().path("unchanged")).hasSize(200);
        assertThat(again.json().path("restarts")).isEmpty();
    }

    @Test
    void anEventsConfigRevisionIsTheETagItsDeploymentFetchesAfterTheChange() {
        String project = "/v1/projects/revs";
        ok(api.put(project, null));
        ok(api.put(project + "/environments/prod", json("type", "production")));
        ok(api.put(project + "/environments/stage", json("type", "staging")));
        for (String service : List.of("api", "web")) {
            ok(api.put(project + "/services/" + service, null));
            ok(api.put(project + "/environments/prod/services/" + service, null));
            ok(api.put(project + "/environments/stage/services/" + service, null));
        }
        // Keys at every scope of the chains that inherit services/api, and at scopes outside them.
        ok(api.post(project + "/import", Map.of("SHARED", "p", "ONLY_PROJECT", "p", "BY_ENV", "p")));
        ok(api.post(project + "/environment-types/production/import", Map.of("ONLY_TYPE", "t", "SHARED", "t")));
        ok(api.post(project + "/environments/prod/import", Map.of("BY_ENV", "e")));
        ok(api.post(project + "/environments/stage/services/api/import", Map.of("SHARED", "x", "ONLY_HERE", "x")));
        ok(api.post(project + "/services/web/import", Map.of("SHARED", "w", "ONLY_WEB", "w")));
        long cursor = feed("revs", 0).path("next").asLong();

        Answer imported =
                api.post(project + "/services/api/import", Map.of("SHARED", "s", "BY_ENV", "s", "ONLY_API", "s"));

        assertThat(restarts(imported)).containsExactlyInAnyOrder("prod/api", "stage/api");
        JsonNode events = feed("revs", cursor).path("events");
        assertThat(events).hasSize(2);
        EnvClient env = new EnvClient(URI.create(server.getURL().toString()));
        for (JsonNode event : events) {
            String deployment =
                    project + "/environments/" + event.path("environment").asText() + "/services/"
                            + event.path("service").asText();
            Answer minted = api.post(deployment + "/tokens", json());
            assertThat(minted.status()).as(minted.toString()).isEqualTo(201);
            EnvClient.Fetch fetched = env.fetch(minted.json().path("token").asText());
            assertThat(fetched.status()).as(fetched.toString()).isEqualTo(200);
            assertThat(fetched.etag())
                    .as("the revision the event announces for %s", deployment)
                    .isEqualTo("\"" + event.path("configRevision").asText() + "\"");
        }
    }

    @Test
    void anEventsConfigRevisionIsTheETagAlsoWhenTheWriteSetsSomeKeysToTheValueTheyHave() {
        String project = "/v1/projects/samerevs";
        String deployment = project + "/environments/prod/services/api";
        ok(api.put(project, null));
        ok(api.put(project + "/environments/prod", json("type", "production")));
        ok(api.put(project + "/services/api", null));
        ok(api.put(deployment, null));
        ok(api.post(project + "/services/api/import", Map.of("SAME", "s", "CHANGED", "c1")));
        long cursor = feed("samerevs", 0).path("next").asLong();

        Answer imported = api.post(project + "/services/api/import", Map.of("SAME", "s", "CHANGED", "c2"));

        assertThat(imported.json().path("unchanged"))
                .extracting(JsonNode::asText)
                .containsExactly("SAME");
        JsonNode events = feed("samerevs", cursor).path("events");
        assertThat(events).hasSize(1);
        Answer minted = api.post(deployment + "/tokens", json());
        assertThat(minted.status()).as(minted.toString()).isEqualTo(201);
        EnvClient.Fetch fetched = new EnvClient(URI.create(server.getURL().toString()))
                .fetch(minted.json().path("token").asText());
        assertThat(fetched.status()).as(fetched.toString()).isEqualTo(200);
        assertThat(fetched.etag())
                .as("the revision the event announces")
                .isEqualTo("\"" + events.get(0).path("configRevision").asText() + "\"");
    }

    @Test
    void dryRunAnswersWhoWouldRestartAndChangesNothingWhileRestartNoneWritesWithoutEvents() throws Exception {
        long cursor = feed("shop", 0).path("next").asLong();

        Answer dryRun = api.put("/v1/projects/shop/environments/prod/secrets/QUIET?dryRun=true", json("value", "x"));
        assertThat(dryRun.status()).isEqualTo(200);
        assertThat(dryRun.json().path("dryRun").asBoolean()).isTrue();
        assertThat(restarts(dryRun)).containsExactlyInAnyOrder("prod/api", "prod/web");
        assertThat(api.get("/v1/projects/shop/environments/prod/secrets/QUIET").status())
                .isEqualTo(404);

        Answer quiet = api.put("/v1/projects/shop/environments/prod/secrets/QUIET?restart=none", json("value", "x"));
        assertThat(quiet.status()).isEqualTo(201);
        assertThat(quiet.json().path("restarts")).isEmpty();
        assertThat(feed("shop", cursor).path("events")).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE change_set_id = '"
                        + quiet.json().path("changeSetId").asText() + "' AND restart_mode = 'none'"))
                .isEqualTo(1);
    }

    @Test
    void everyEventOfABurstReachesTheHookSignedAndOnceEvenWithTwoGatewaysDispatching() throws Exception {
        try (Receiver receiver = new Receiver();
                EmbeddedServer second = ApplicationContext.run(
                        EmbeddedServer.class, new HashMap<String, Object>(getProperties()), "production")) {
            register("burst", receiver);
            long cursor = feed("burst", 0).path("next").asLong();
            List<String> eventIds = new ArrayList<>();
            ApiClient other = new ApiClient(URI.create(second.getURL().toString()), stack().adminToken());
            for (int i = 0; i < 20; i++) {
                ApiClient via = i % 2 == 0 ? api : other;
                ok(via.put("/v1/projects/burst/secrets/COUNTER", json("value", "n" + i)));
            }
            JsonNode events = feed("burst", cursor).path("events");
            events.forEach(event -> eventIds.add(event.path("id").asText()));
            assertThat(eventIds).hasSize(80);

            awaitTrue(() -> receiver.accepted().keySet().containsAll(eventIds));

            assertThat(receiver.badSignatures()).isZero();
            assertThat(receiver.requests())
                    .as("each event sent once when all goes well")
                    .hasSize(80);
            JsonNode message = receiver.accepted().get(eventIds.get(0));
            assertThat(message.path("type").asText()).isEqualTo("deployment.restart");
            assertThat(message.path("data").path("keys").get(0).asText()).isEqualTo("COUNTER");
            assertThat(message.toString()).doesNotContain("\"n0\"");
        }
    }

    @Test
    void aReceiverFailingHalfTheTimeStillReceivesEveryEvent() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.failFirstAttemptOfEachEvent();
            register("flaky", receiver);
            long cursor = feed("flaky", 0).path("next").asLong();
            for (int i = 0; i < 10; i++) {
                ok(api.put("/v1/projects/flaky/secrets/K" + i, json("value", "v")));
            }
            Set<String> eventIds = eventIds("flaky", cursor);
            assertThat(eventIds).hasSize(40);

            awaitTrue(() -> receiver.accepted().keySet().containsAll(eventIds));

            assertThat(receiver.requests().size()).isGreaterThanOrEqualTo(80);
            assertThat(count("SELECT COUNT(*) FROM webhook_attempt WHERE status_code = 500"))
                    .isGreaterThanOrEqualTo(40);
        }
    }

    @Test
    void aReceiverDownForAWhileGetsEverythingAfterItReturns() throws Exception {
        try (Receiver receiver = new Receiver()) {
            register("outage", receiver);
            long cursor = feed("outage", 0).path("next").asLong();
            receiver.stop();
            for (int i = 0; i < 5; i++) {
                ok(api.put("/v1/projects/outage/secrets/K" + i, json("value", "v")));
            }
            Set<String> eventIds = eventIds("outage", cursor);
            awaitTrue(() -> attemptsWithoutAnswer("outage") >= 20);

            receiver.restart();

            awaitTrue(() -> receiver.accepted().keySet().containsAll(eventIds));
            assertThat(count("SELECT COUNT(*) FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id "
                            + "JOIN project p ON p.id = w.project_id WHERE d.status = 'dead' AND p.slug = 'outage'"))
                    .isZero();
        }
    }

    @Test
    void deliveriesClaimedByADispatcherThatDiedAreSentOnceItsLeaseExpires() throws Exception {
        try (Receiver receiver = new Receiver()) {
            register("crash", receiver);
            long cursor = feed("crash", 0).path("next").asLong();
            receiver.stop();
            ok(api.put("/v1/projects/crash/secrets/K", json("value", "v")));
            Set<String> eventIds = eventIds("crash", cursor);
            execute(
                    "UPDATE webhook_delivery d JOIN restart_event e ON e.event_id = d.event_id JOIN project p ON p.id = e.project_id "
                            + "SET d.status = 'sending', d.next_attempt_at = NOW() + INTERVAL 2 SECOND, d.lease_until = NOW() + INTERVAL 2 SECOND "
                            + "WHERE p.slug = 'crash'");
            receiver.restart();

            awaitTrue(() -> receiver.accepted().keySet().containsAll(eventIds));
        }
    }

    @Test
    void hooksRefuseUnsafeUrlsAndRedeliverOnRequest() throws Exception {
        for (String url : List.of(
                "ftp://deploy.example/x",
                "http://user:pw@127.0.0.1/x",
                "http://169.254.169.254/latest",
                "http://10.1.2.3/hook",
                "http://[fd00:ec2::254]/x")) {
            Answer refused = api.post("/v1/projects/shop/hooks", json("url", url));
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("invalid-hook-url");
        }
        try (Receiver receiver = new Receiver()) {
            String hookId = register("shop", receiver);
            ok(api.put("/v1/projects/shop/secrets/REDELIVER_ME", json("value", "v")));
            awaitTrue(() -> !deliveries("shop", hookId).isEmpty()
                    && deliveries("shop", hookId).get(0).path("status").asText().equals("delivered"));
            String deliveryId = deliveries("shop", hookId).get(0).path("id").asText();
            int before = receiver.requests().size();

            Answer redeliver =
                    api.post("/v1/projects/shop/hooks/" + hookId + "/deliveries/" + deliveryId + "/redeliver", null);

            assertThat(redeliver.status()).isEqualTo(202);
            awaitTrue(() -> receiver.requests().size() > before);
            assertThat(api.get("/v1/projects/shop/hooks").body()).doesNotContain("whsec_");
            assertThat(api.delete("/v1/projects/shop/hooks/" + hookId).status()).isEqualTo(204);
        }
    }

    @Test
    void aReceiverAskingToRetryAfterForeverCannotKeepAnotherTenantsDeliveriesUnrecorded() throws Exception {
        try (Receiver hostile = new Receiver();
                Receiver healthy = new Receiver()) {
            hostile.behave(eventId -> 503);
            hostile.askToRetryAfter("9223372036854775807");
            String hostileHook = register("hostile", hostile);
            String healthyHook = register("healthy", healthy);

            ok(api.put("/v1/projects/hostile/secrets/K", json("value", "1")));
            ok(api.put("/v1/projects/healthy/secrets/K", json("value", "1")));
            awaitTrue(() -> !hostile.requests().isEmpty() && healthy.accepted().size() == 4);

            awaitTrue(() -> deliveries("healthy", healthyHook).stream()
                    .allMatch(d -> d.path("status").asText().equals("delivered")));
            awaitTrue(() -> deliveries("hostile", hostileHook).stream()
                    .allMatch(d -> d.path("attempts").asInt() == 1
                            && d.path("status").asText().equals("pending")));
            for (JsonNode delivery : deliveries("hostile", hostileHook)) {
                assertThat(java.time.Instant.parse(
                                delivery.path("nextAttemptAt").asText()))
                        .as("asked to wait for ever, it waits a day at most")
                        .isBefore(
                                java.time.Instant.now().plus(Duration.ofDays(1)).plusSeconds(60));
            }
        }
    }

    private String register(String project, Receiver receiver) {
        Answer created = api.post("/v1/projects/" + project + "/hooks", json("url", receiver.url()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String secret = created.json().path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        receiver.trust(secret);
        return created.json().path("id").asText();
    }

    private List<JsonNode> deliveries(String project, String hookId) {
        List<JsonNode> list = new ArrayList<>();
        api.get("/v1/projects/" + project + "/hooks/" + hookId + "/deliveries")
                .json()
                .forEach(list::add);
        return list;
    }

    private Set<String> eventIds(String project, long after) {
        Set<String> ids = new TreeSet<>();
        feed(project, after)
                .path("events")
                .forEach(event -> ids.add(event.path("id").asText()));
        return ids;
    }

    private long attemptsWithoutAnswer(String project) {
        try {
            return count("SELECT COUNT(*) FROM webhook_attempt a JOIN webhook_delivery d ON d.id = a.delivery_id "
                    + "JOIN webhook w ON w.id = d.webhook_id JOIN project p ON p.id = w.project_id "
                    + "WHERE a.status_code IS NULL AND p.slug = '" + project + "'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode feed(String project, long after) {
        Answer answer = api.get("/v1/events?project=" + project + "&after=" + after + "&limit=1000");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static List<String> restarts(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isIn(200, 201);
        List<String> restarts = new ArrayList<>();
        answer.json()
                .path("restarts")
                .forEach(r -> restarts.add(
                        r.path("environment").asText() + "/" + r.path("service").asText()));
        return restarts;
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isIn(200, 201);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition not met in time").isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
