package io.vaultgate.restart;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.delivery.StatementLog;
import io.vaultgate.testing.RealParts;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The long-poll feed on real MariaDB: parked waiters hold no thread and no connection, one
 * watcher query per poll serves all of them, and each caller and replica may park only so many.
 * Events here stay open for three seconds (the coalescing window; MariaDB keeps whole seconds), so
 * the feed's hold-back is real.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventFeedIT extends GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENT = "/v1/projects/feed/environments/production/services/api";
    private static final int WAITERS = 50;
    private static final int WAITERS_PER_CALLER = 8;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ApiClient api;
    private EnvClient env;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "datasources.default.url", stack().jdbcUrl() + "&queryInterceptors=" + StatementLog.class.getName(),
                "vaultgate.restart.coalescing-window", "3s",
                "vaultgate.restart.feed.poll-interval", "100ms",
                "vaultgate.restart.feed.waiters-per-caller", String.valueOf(WAITERS_PER_CALLER),
                "vaultgate.restart.feed.waiters-per-replica", "64");
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        env = new EnvClient(URI.create(server.getURL().toString()));
        ok(api.put("/v1/projects/feed", null));
        ok(api.put("/v1/projects/feed/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/feed/services/api", null));
        ok(api.put(DEPLOYMENT, null));
        ok(api.put("/v1/projects/feed/secrets/GREETING", json("value", "hello")));
    }

    @Test
    void manyParkedWaitersCostOneWatcherQueryPerPollAndLeaveReadsAlone() throws Exception {
        long head = sealedHead();
        List<String> deployers = new ArrayList<>();
        for (int i = 0; i < WAITERS / 5; i++) {
            deployers.add(operatorToken("deployer"));
        }
        String workload =
                api.post(DEPLOYMENT + "/tokens", json()).json().path("token").asText();
        List<CompletableFuture<HttpResponse<String>>> waiters = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            waiters.add(await(deployers.get(i % deployers.size()), head, 30));
        }
        awaitParked(WAITERS);

        StatementLog.ENTRIES.clear();
        long from = System.nanoTime();
        EnvClient.Fetch boot = env.fetch(workload);
        Answer read = api.get("/v1/projects/feed/secrets/GREETING");
        Thread.sleep(1000); // about ten watcher polls with every waiter parked
        long polls = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from) / 100 + 1;
        List<StatementLog.Entry> feedStatements = StatementLog.ENTRIES.stream()
                .filter(e -> e.sql().contains("restart_event") && !e.thread().equals("webhook-dispatcher"))
                .toList();

        assertThat(boot.status()).isEqualTo(200);
        assertThat(read.status()).isEqualTo(200);
        assertThat(waiters).as("still parked").noneMatch(CompletableFuture::isDone);
        assertThat(feedStatements)
                .as("only the watcher reads the feed while waiters are parked")
                .allMatch(e -> e.thread().equals("feed-watcher"), "sent by the feed-watcher thread")
                .allMatch(e -> e.sql().contains("GROUP BY"), "the one query for the newest event of each project")
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo((int) polls + 2);

        ok(api.put("/v1/projects/feed/secrets/WAKE_ALL", json("value", "1")));
        long event = head();
        for (CompletableFuture<HttpResponse<String>> waiter : waiters) {
            JsonNode page = JSON.readTree(waiter.get(20, TimeUnit.SECONDS).body());
            assertThat(page.path("events")).hasSize(1);
            assertThat(page.path("events").get(0).path("cursor").asLong()).isEqualTo(event);
            assertThat(page.path("next").asLong()).isEqualTo(event);
        }
    }

    @Test
    void aParkedWaiterIsWokenByANewEventAndReturnsItOnceItsWindowCloses() throws Exception {
        long head = sealedHead();
        String deployer = operatorToken("deployer");
        CompletableFuture<HttpResponse<String>> waiter = await(deployer, head, 30);
        awaitParked(1);

        ok(api.put("/v1/projects/feed/secrets/WAKE_ONE", json("value", "1")));
        long event = head();
        JsonNode stillOpen = api.get("/v1/events?project=feed&after=" + head).json();
        JsonNode page = JSON.readTree(waiter.get(20, TimeUnit.SECONDS).body());

        assertThat(event).isGreaterThan(head);
        assertThat(stillOpen.path("events"))
                .as("inside its coalescing window the event is held back")
                .isEmpty();
        assertThat(stillOpen.path("next").asLong()).isEqualTo(head);
        assertThat(page.path("events")).hasSize(1);
        assertThat(page.path("events").get(0).path("cursor").asLong()).isEqualTo(event);
        assertThat(page.path("events").get(0).path("keys").toString()).contains("WAKE_ONE");
        assertThat(page.path("next").asLong()).isEqualTo(event);
    }

    @Test
    void anOpenEventHoldsBackItselfAndEverythingAfterItThenBothArrive() throws Exception {
        long head = sealedHead();
        CompletableFuture<HttpResponse<String>> waiter = await(operatorToken("deployer"), head, 30);
        awaitParked(1);

        ok(api.put("/v1/projects/feed/secrets/FIRST", json("value", "1")));
        ok(api.put(DEPLOYMENT + "/secrets/SECOND", json("value", "2")));
        JsonNode held = api.get("/v1/events?project=feed&after=" + head).json();
        JsonNode page = JSON.readTree(waiter.get(20, TimeUnit.SECONDS).body());

        assertThat(held.path("events")).isEmpty();
        assertThat(page.path("events")).isNotEmpty();
        assertThat(page.path("events").get(0).path("keys").toString()).contains("FIRST");
        JsonNode rest = api.get(
                        "/v1/events?project=feed&after=" + page.path("next").asLong() + "&wait=10")
                .json();
        List<String> keys = new ArrayList<>();
        page.path("events").forEach(e -> keys.add(e.path("keys").toString()));
        rest.path("events").forEach(e -> keys.add(e.path("keys").toString()));
        assertThat(String.join(" ", keys)).contains("FIRST").contains("SECOND");
    }

    @Test
    void aWaiterThatTimesOutAnswersAnEmptyPageWithTheSameCursor() throws Exception {
        long head = sealedHead();

        HttpResponse<String> timedOut =
                await(operatorToken("deployer"), head, 1).get(20, TimeUnit.SECONDS);

        assertThat(timedOut.statusCode()).isEqualTo(200);
        JsonNode page = JSON.readTree(timedOut.body());
        assertThat(page.path("events")).isEmpty();
        assertThat(page.path("next").asLong()).isEqualTo(head);
        assertThat(page.path("project").asText()).isEqualTo("feed");
    }

    @Test
    void aCallerMayParkOnlySoManyWaitersAndTheNextAnswers429WithRetryAfter() throws Exception {
        long head = sealedHead();
        String deployer = operatorToken("deployer");
        List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
        for (int i = 0; i < WAITERS_PER_CALLER; i++) {
            parked.add(await(deployer, head, 30));
        }
        awaitParked(WAITERS_PER_CALLER);

        HttpResponse<String> refused = await(deployer, head, 30).get(20, TimeUnit.SECONDS);
        HttpResponse<String> notWaiting = await(deployer, head, 0).get(20, TimeUnit.SECONDS);
        HttpResponse<String> otherCaller =
                await(operatorToken("deployer"), head, 1).get(20, TimeUnit.SECONDS);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(refused.body()).path("code").asText()).isEqualTo("too-many-waiters");
        assertThat(refused.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        assertThat(notWaiting.statusCode())
                .as("a read that does not wait is not a waiter")
                .isEqualTo(200);
        assertThat(otherCaller.statusCode())
                .as("another caller has its own allowance")
                .isEqualTo(200);

        ok(api.put("/v1/projects/feed/secrets/RELEASE", json("value", "1")));
        for (CompletableFuture<HttpResponse<String>> waiter : parked) {
            assertThat(waiter.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        awaitParked(0);
        assertThat(await(deployer, head(), 1).get(20, TimeUnit.SECONDS).statusCode())
                .as("answered waiters give their places back")
                .isEqualTo(200);
    }

    @Test
    void aWaiterWhoseClientHangsUpGivesItsPlaceBackAtOnce() throws Exception {
        String deployer = operatorToken("deployer");
        try (Socket client = new Socket("127.0.0.1", server.getPort())) {
            client.getOutputStream()
                    .write(("GET /v1/events?project=feed&after=" + head() + "&wait=60 HTTP/1.1\r\n"
                                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + deployer + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            awaitParked(1);
        }

        awaitParked(0); // long before its 60 seconds
    }

    /** The newest event id: every event before it is sealed or will be, so waiting after it waits for a new one. */
    /**
     * The newest event once none is open: a cursor a reader can hold. An event of an earlier test
     * still inside its coalescing window would absorb this test's change under its own, older id.
     */
    private long sealedHead() throws SQLException, InterruptedException {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count("SELECT COUNT(*) FROM restart_event WHERE deliver_after > UTC_TIMESTAMP()") > 0
                && System.nanoTime() < giveUpAt) {
            Thread.sleep(200);
        }
        return head();
    }

    private long head() throws SQLException {
        return count("SELECT COALESCE(MAX(id), 0) FROM restart_event");
    }

    private CompletableFuture<HttpResponse<String>> await(String token, long after, int waitSeconds) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(server.getURL() + "/v1/events?project=feed&after=" + after + "&wait=" + waitSeconds))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Until the gateway reports this many parked waiters (its {@code vaultgate.feed.waiters} gauge). */
    private void awaitParked(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        double parked;
        do {
            parked = parkedWaiters();
            if (parked == expected) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(parked).as("parked waiters").isEqualTo(expected);
    }

    private double parkedWaiters() {
        Answer scrape = api.get("/prometheus");
        return scrape.body()
                .lines()
                .filter(line -> line.startsWith("vaultgate_feed_waiters "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
    }

    private String operatorToken(String role) {
        Answer minted = api.post("/v1/projects/feed/operator-tokens", json("role", role, "ttlSeconds", 600));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }
}
