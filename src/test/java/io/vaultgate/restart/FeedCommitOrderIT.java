package io.vaultgate.restart;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The feed's cursor follows commit order, on real MariaDB: a write whose transaction stays open
 * after its restart event got its id (a trigger sleeps there) and a second write that would
 * commit meanwhile with a larger id. A reader that follows the cursor sees both events.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedCommitOrderIT extends GatewayTest {

    private static final String PROD = "/v1/projects/order/environments/production";

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vaultgate.restart.coalescing-window", "0s");
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        ok(api.put("/v1/projects/order", null));
        ok(api.put(PROD, json("type", "production")));
        for (String service : List.of("api", "web")) {
            ok(api.put("/v1/projects/order/services/" + service, null));
            ok(api.put(PROD + "/services/" + service, null));
        }
    }

    @Test
    void aReaderFollowingTheCursorSeesAnEventWhoseTransactionCommittedAfterALaterOne() throws Exception {
        long cursor = feed(0).path("next").asLong();
        execute("CREATE TRIGGER slow_commit AFTER INSERT ON restart_event FOR EACH ROW BEGIN "
                + "IF NEW.key_names LIKE '%SLOW%' THEN DO SLEEP(4); END IF; END");
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<String> seen = new ArrayList<>();
        try {
            Future<Answer> slow =
                    writers.submit(() -> api.put(PROD + "/services/api/secrets/SLOW", json("value", "1")));
            awaitEventInserted();
            Future<Answer> fast =
                    writers.submit(() -> api.put(PROD + "/services/web/secrets/FAST", json("value", "2")));
            ok(fast.get(30, TimeUnit.SECONDS));
            JsonNode first = feed(cursor);
            first.path("events").forEach(e -> seen.add(e.path("keys").get(0).asText()));
            cursor = first.path("next").asLong();
            ok(slow.get(30, TimeUnit.SECONDS));
            feed(cursor)
                    .path("events")
                    .forEach(e -> seen.add(e.path("keys").get(0).asText()));
        } finally {
            writers.shutdownNow();
            execute("DROP TRIGGER IF EXISTS slow_commit");
        }

        assertThat(seen)
                .as("every event, each once, by following the cursor")
                .containsExactlyInAnyOrder("SLOW", "FAST");
    }

    /** The slow write's event row is inserted (its id taken) and its transaction sleeps in the trigger. */
    private void awaitEventInserted() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count("SELECT COUNT(*) FROM information_schema.processlist WHERE state = 'User sleep'") == 0) {
            assertThat(System.nanoTime()).as("the slow write reached its event").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private JsonNode feed(long after) {
        Answer answer = api.get("/v1/events?project=order&after=" + after + "&limit=1000");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
