package io.vaultgate.restart;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Webhooks cannot be aimed inside: on real OpenBao and MariaDB, with a real gateway sending to
 * loopback receivers. DNS is the one part scripted, through the policy's resolver seam, since
 * no DNS server here can be made hostile.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HookSafetyIT extends GatewayTest {

    private static final int SENDERS = 4;
    private static final int PER_HOOK = 2;
    private static final int MAX_HOOKS = 3;

    private final ScriptedDns dns = new ScriptedDns();
    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("vaultgate.restart.poll-interval", "100ms");
        properties.put("vaultgate.restart.retry-schedule", "100ms,200ms,400ms,800ms,1s,1s,1s,1s,1s,1s");
        properties.put("vaultgate.restart.circuit-open-wait", "200ms");
        properties.put("vaultgate.restart.request-timeout", "10s");
        properties.put("vaultgate.restart.concurrency", Integer.toString(SENDERS));
        properties.put("vaultgate.restart.per-hook-concurrency", Integer.toString(PER_HOOK));
        properties.put("vaultgate.restart.max-hooks-per-project", Integer.toString(MAX_HOOKS));
        return properties;
    }

    /** Answers scripted addresses for the names a test scripts; literals as they are. */
    static final class ScriptedDns implements HookUrlPolicy.Resolver {

        private final Map<String, Deque<String>> answers = new ConcurrentHashMap<>();

        /** The host answers each address once, in order, and the last one from then on. */
        void script(String host, String... addresses) {
            answers.put(host, new ConcurrentLinkedDeque<>(List.of(addresses)));
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            Deque<String> script = answers.get(host);
            if (script == null) {
                return InetAddress.getAllByName(host);
            }
            String next = script.size() > 1 ? script.poll() : script.peek();
            return new InetAddress[] {InetAddress.getByName(next)};
        }
    }

    @MockBean(HookUrlPolicy.SystemResolver.class)
    HookUrlPolicy.Resolver scriptedDns() {
        return dns;
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        for (String project : List.of("rebind", "alpha", "beta", "closed", "limits")) {
            ok(api.put("/v1/projects/" + project, null));
            ok(api.put("/v1/projects/" + project + "/environments/prod", json("type", "production")));
            ok(api.put("/v1/projects/" + project + "/services/api", null));
            ok(api.put("/v1/projects/" + project + "/environments/prod/services/api", null));
        }
        ok(api.put("/v1/projects/bounds", null));
        ok(api.put("/v1/projects/bounds/environments/a", json("type", "production")));
        ok(api.put("/v1/projects/bounds/environments/b", json("type", "staging")));
        for (int s = 1; s <= 6; s++) {
            ok(api.put("/v1/projects/bounds/services/s" + s, null));
            ok(api.put("/v1/projects/bounds/environments/a/services/s" + s, null));
        }
        ok(api.put("/v1/projects/bounds/environments/b/services/s1", null));
        ok(api.put("/v1/projects/bounds/environments/b/services/s2", null));
    }

    @Test
    void aHostRebindingToLoopbackAfterTheCheckNeverReachesTheVictim() throws Exception {
        try (Receiver victim = new Receiver("127.0.0.1", 0);
                Receiver allowed = new Receiver("127.0.0.2", victim.port())) {
            allowNetworks("rebind", "127.0.0.2/32");
            allowed.closeEachConnection(); // a kept-alive connection would be reused, not resolved again
            // Registration and the first send see the allowed address, every later answer is the victim;
            // the system's resolver, which the gateway must not consult, says localhost is 127.0.0.1.
            dns.script("localhost", "127.0.0.2", "127.0.0.2", "127.0.0.1");
            String hookId = register("rebind", "http://localhost:" + victim.port() + "/restart", victim, allowed);

            ok(api.put("/v1/projects/rebind/secrets/FIRST", json("value", "v")));
            awaitTrue(() -> allowed.accepted().size() == 1, Duration.ofSeconds(30));
            ok(api.put("/v1/projects/rebind/secrets/SECOND", json("value", "v")));
            awaitTrue(
                    () -> attempts("rebind", hookId).stream()
                            .anyMatch(attempt -> "address-refused"
                                    .equals(attempt.path("error").asText())),
                    Duration.ofSeconds(30));

            assertThat(victim.requests()).as("the victim receives nothing").isEmpty();
            assertThat(allowed.requests()).hasSize(1);
        }
    }

    @Test
    void aProjectsHookNetworksOpenLoopbackToItsOwnHooksOnlyAndOnlyAnAdminSetsThem() throws Exception {
        try (Receiver receiver = new Receiver()) {
            ApiClient alphaAdmin = api.withToken(operatorToken("alpha", "project-admin"));
            Answer byProjectAdmin =
                    alphaAdmin.put("/v1/projects/alpha/hook-networks", json("allowedPrivate", List.of("127.0.0.1/32")));
            assertThat(byProjectAdmin.status()).isEqualTo(403);
            assertThat(alphaAdmin.get("/v1/projects/alpha/hook-networks").json().path("allowedPrivate"))
                    .isEmpty();

            allowNetworks("alpha", "127.0.0.1/32");

            assertThat(alphaAdmin.get("/v1/projects/alpha/hook-networks").json().path("allowedPrivate"))
                    .extracting(JsonNode::asText)
                    .containsExactly("127.0.0.1/32");
            assertThat(api.withToken(operatorToken("beta", "project-admin"))
                            .get("/v1/projects/alpha/hook-networks")
                            .status())
                    .isEqualTo(404);
            Answer betaHook = api.post("/v1/projects/beta/hooks", json("url", receiver.url()));
            assertThat(betaHook.status()).as(betaHook.toString()).isEqualTo(400);
            assertThat(betaHook.code()).isEqualTo("invalid-hook-url");
            assertThat(betaHook.body()).contains("loopback").doesNotContain("127.0.0.1");
            String hookId = register("alpha", receiver.url(), receiver);
            ok(api.put("/v1/projects/alpha/secrets/REACHED", json("value", "v")));
            awaitTrue(() -> receiver.accepted().size() == 1, Duration.ofSeconds(30));

            allowNetworks("alpha");
            ok(api.put("/v1/projects/alpha/secrets/NOT_REACHED", json("value", "v")));
            awaitTrue(
                    () -> deliveries("alpha", hookId).stream()
                            .anyMatch(d ->
                                    "address-refused".equals(d.path("lastError").asText())),
                    Duration.ofSeconds(30));
            assertThat(receiver.requests())
                    .as("checked at every send against the project's list")
                    .hasSize(1);
            assertThat(count("SELECT COUNT(*) FROM audit_log a JOIN project p ON p.id = a.project_id "
                            + "WHERE p.slug = 'alpha' AND a.action = 'hook-networks.set'"))
                    .isEqualTo(2);
        }
    }

    @Test
    void hookNetworksRefuseEntriesThatWouldOpenWhatIsNeverAllowedAndChangeNothing() {
        allowNetworks("beta", "10.20.0.0/16", "deploy.internal");
        List<String> refused = List.of(
                "169.254.0.0/16",
                "169.254.169.254/32",
                "0.0.0.0/0",
                "224.0.0.0/4",
                "10.1.2.3/8",
                "::ffff:0:0/96",
                "fd00:ec2::254/128",
                "fe80::/10",
                "not a host",
                "10.0.0.0/33",
                "");
        for (String entry : refused) {
            Answer answer = api.put(
                    "/v1/projects/beta/hook-networks", json("allowedPrivate", List.of("192.168.0.0/16", entry)));
            assertThat(answer.status()).as(entry + ": " + answer).isEqualTo(400);
            assertThat(answer.code()).isEqualTo("invalid-hook-network");
            assertThat(answer.json().path("field").asText()).isEqualTo("allowedPrivate[1]");
        }
        assertThat(api.get("/v1/projects/beta/hook-networks").json().path("allowedPrivate"))
                .extracting(JsonNode::asText)
                .containsExactly("10.20.0.0/16", "deploy.internal");
    }

    @Test
    void aStoredNetworkTheRulesNowRefuseIsIgnoredRatherThanStoppingDelivery() throws Exception {
        allowNetworks("closed", "127.0.0.1/32");
        execute("INSERT INTO hook_network (project_id, entry, created_at, created_by) "
                + "SELECT id, '169.254.0.0/16', NOW(), 'an older version' FROM project WHERE slug = 'closed'");

        assertThat(api.get("/v1/projects/closed/hook-networks").json().path("allowedPrivate"))
                .extracting(JsonNode::asText)
                .containsExactly("127.0.0.1/32");
        allowNetworks("closed", "127.0.0.1/32");
    }

    @Test
    void theDeliveryLogOfAClosedLoopbackPortShowsOnlyTheErrorClass() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        allowNetworks("closed", "127.0.0.1/32");
        Answer created = api.post("/v1/projects/closed/hooks", json("url", "http://127.0.0.1:" + closedPort + "/hook"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String hookId = created.json().path("id").asText();

        ok(api.put("/v1/projects/closed/secrets/K", json("value", "v")));
        awaitTrue(() -> attempts("closed", hookId).size() >= 2, Duration.ofSeconds(30));

        JsonNode delivery = deliveries("closed", hookId).get(0);
        assertThat(delivery.path("lastError").asText()).isEqualTo("connection-failed");
        assertThat(delivery.path("lastStatusCode").isNull()).isTrue();
        assertThat(attempts("closed", hookId))
                .allSatisfy(
                        attempt -> assertThat(attempt.path("error").asText()).isEqualTo("connection-failed"));
        List<String> vocabulary = Arrays.stream(DeliveryError.values())
                .map(DeliveryError::wireName)
                .toList();
        assertThat(storedErrors())
                .as("every error stored in the delivery log")
                .isNotEmpty()
                .isSubsetOf(vocabulary);
    }

    @Test
    void aProjectHoldsAtMostTheConfiguredNumberOfHooksNotCountingRemovedOnes() {
        allowNetworks("limits", "127.0.0.1/32");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MAX_HOOKS; i++) {
            Answer created = api.post("/v1/projects/limits/hooks", json("url", "http://127.0.0.1:9/hook" + i));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            ids.add(created.json().path("id").asText());
        }

        Answer oneTooMany = api.post("/v1/projects/limits/hooks", json("url", "http://127.0.0.1:9/extra"));

        assertThat(oneTooMany.status()).isEqualTo(409);
        assertThat(oneTooMany.code()).isEqualTo("hook-limit-reached");
        assertThat(api.get("/v1/projects/limits/hooks").json()).hasSize(MAX_HOOKS);
        assertThat(api.delete("/v1/projects/limits/hooks/" + ids.get(0)).status())
                .isEqualTo(204);
        assertThat(api.post("/v1/projects/limits/hooks", json("url", "http://127.0.0.1:9/extra"))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void aSlowHookHoldsAtMostItsShareOfSendersWhileAnotherHooksDeliveriesGoOut() throws Exception {
        try (Receiver slow = new Receiver();
                Receiver fast = new Receiver()) {
            allowNetworks("bounds", "127.0.0.1/32");
            slow.holdUntilReleased(Duration.ofSeconds(8));
            String slowHook = register("bounds", slow.url(), List.of("a"), slow);
            register("bounds", fast.url(), List.of("b"), fast);

            // One change: six events for the slow hook, ahead in id order of the fast hook's two.
            ok(api.put("/v1/projects/bounds/secrets/SHARED", json("value", "v")));

            awaitTrue(() -> fast.accepted().size() == 2, Duration.ofSeconds(5));
            assertThat(slow.inFlight()).isEqualTo(PER_HOOK);
            slow.release();
            awaitTrue(() -> slow.accepted().size() == 6, Duration.ofSeconds(30));
            assertThat(slow.mostInFlight()).isEqualTo(PER_HOOK);
            // The receiver has the sixth before the gateway has recorded its answer.
            awaitTrue(
                    () -> {
                        List<JsonNode> recorded = deliveries("bounds", slowHook);
                        return recorded.size() == 6
                                && recorded.stream()
                                        .allMatch(d -> d.path("status").asText().equals("delivered"));
                    },
                    Duration.ofSeconds(10));
            assertThat(deliveries("bounds", slowHook)).hasSize(6).allSatisfy(d -> {
                assertThat(d.path("status").asText()).isEqualTo("delivered");
                assertThat(d.path("attempts").asInt())
                        .as("waiting for a sender is no attempt")
                        .isEqualTo(1);
            });
        }
    }

    private List<String> storedErrors() throws SQLException {
        List<String> errors = new ArrayList<>();
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT error FROM webhook_attempt WHERE error IS NOT NULL "
                        + "UNION SELECT last_error FROM webhook_delivery WHERE last_error IS NOT NULL")) {
            while (rows.next()) {
                errors.add(rows.getString(1));
            }
        }
        return errors;
    }

    private void allowNetworks(String project, String... entries) {
        Answer answer = api.put("/v1/projects/" + project + "/hook-networks", json("allowedPrivate", List.of(entries)));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    private String operatorToken(String project, String role) {
        Answer minted = api.post("/v1/projects/" + project + "/operator-tokens", json("role", role));
        assertThat(minted.status()).as(minted.toString()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private String register(String project, String url, Receiver... trusting) {
        return register(project, url, List.of(), trusting);
    }

    private String register(String project, String url, List<String> environments, Receiver... trusting) {
        Answer created = api.post("/v1/projects/" + project + "/hooks", json("url", url, "environments", environments));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        for (Receiver receiver : trusting) {
            receiver.trust(created.json().path("secret").asText());
        }
        return created.json().path("id").asText();
    }

    private List<JsonNode> deliveries(String project, String hookId) {
        List<JsonNode> list = new ArrayList<>();
        api.get("/v1/projects/" + project + "/hooks/" + hookId + "/deliveries")
                .json()
                .forEach(list::add);
        return list;
    }

    private List<JsonNode> attempts(String project, String hookId) {
        List<JsonNode> list = new ArrayList<>();
        deliveries(project, hookId)
                .forEach(delivery -> delivery.path("attemptLog").forEach(list::add));
        return list;
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isIn(200, 201);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration atMost) throws InterruptedException {
        Instant deadline = Instant.now().plus(atMost);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition not met in time").isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
