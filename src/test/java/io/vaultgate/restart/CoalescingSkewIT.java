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
import io.vaultgate.testing.RealParts;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Coalescing across replicas whose clocks disagree, on real MariaDB and OpenBao: one replica
 * writes (and merges change-sets into an event still inside its window), another, whose clock
 * runs three seconds ahead, dispatches and serves the feed. The event must not be sent, nor handed
 * to a feed reader, while the writer can still merge into it, or the merged change-set is never
 * seen.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoalescingSkewIT extends GatewayTest {

    private static final String DEPLOYMENT = "/v1/projects/merge/environments/prod/services/api";

    private ApiClient api;
    private EmbeddedServer ahead;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>(RestartEventsIT.dispatchProperties());
        properties.put("vaultgate.restart.coalescing-window", "4s");
        properties.put("vaultgate.restart.poll-interval", "1h"); // this replica writes; the other one sends
        return properties;
    }

    @BeforeAll
    void startTheDispatcherWhoseClockRunsAhead() {
        api = admin();
        ok(api.put("/v1/projects/merge", null));
        ok(api.put("/v1/projects/merge/hook-networks", json("allowedPrivate", List.of("127.0.0.1/32"))));
        ok(api.put("/v1/projects/merge/environments/prod", json("type", "production")));
        ok(api.put("/v1/projects/merge/services/api", null));
        ok(api.put(DEPLOYMENT, null));
        Map<String, Object> properties = new HashMap<>(getProperties());
        properties.put("vaultgate.restart.poll-interval", "100ms");
        properties.put("test.clock-ahead", "3s"); // within webhook timestamp tolerance
        ahead = ApplicationContext.run(EmbeddedServer.class, properties, "production");
    }

    @AfterAll
    void stop() {
        if (ahead != null) {
            ahead.getApplicationContext().close();
        }
    }

    @Test
    void aChangeMergedIntoAnOpenEventReachesTheReceiverEvenWhenTheDispatcherClockRunsAhead() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Answer hook = api.post("/v1/projects/merge/hooks", json("url", receiver.url()));
            assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
            receiver.trust(hook.json().path("secret").asText());
            Thread.sleep(5_000); // the deployment's registration event is out of its window: nothing merges into it

            String first = api.put(DEPLOYMENT + "/secrets/FIRST", json("value", "1"))
                    .json()
                    .path("changeSetId")
                    .asText();
            Thread.sleep(1_500);
            String second = api.put(DEPLOYMENT + "/secrets/SECOND", json("value", "2"))
                    .json()
                    .path("changeSetId")
                    .asText();

            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (receiver.accepted().isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            Thread.sleep(1_000);
            assertThat(receiver.accepted()).hasSize(1);
            JsonNode delivered = receiver.accepted().values().iterator().next().path("data");
            assertThat(delivered.path("changeSets").toString())
                    .as("both change-sets, merged before it was sent")
                    .contains(first, second);
        }
    }

    @Test
    void aFeedReaderOnTheReplicaWhoseClockRunsAheadIsNotHandedAnEventStillMerging() throws Exception {
        ApiClient viaAhead = new ApiClient(java.net.URI.create(ahead.getURL().toString()), stack().adminToken());
        Thread.sleep(5_000); // earlier events of the project are out of their window
        long cursor = viaAhead.get("/v1/events?project=merge&after=0&limit=100")
                .json()
                .path("next")
                .asLong();

        String first = api.put(DEPLOYMENT + "/secrets/READ_FIRST", json("value", "1"))
                .json()
                .path("changeSetId")
                .asText();
        Thread.sleep(1_200);
        JsonNode early = viaAhead.get("/v1/events?project=merge&after=" + cursor + "&limit=100")
                .json();
        String second = api.put(DEPLOYMENT + "/secrets/READ_SECOND", json("value", "2"))
                .json()
                .path("changeSetId")
                .asText();
        Thread.sleep(4_500);
        JsonNode later = viaAhead.get(
                        "/v1/events?project=merge&after=" + early.path("next").asLong() + "&limit=100")
                .json();

        List<String> seen = new java.util.ArrayList<>();
        early.path("events").forEach(e -> seen.add(e.path("changeSets").toString()));
        later.path("events").forEach(e -> seen.add(e.path("changeSets").toString()));
        assertThat(String.join(" ", seen))
                .as("a reader following the cursor learns of both change-sets")
                .contains(first, second);
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
