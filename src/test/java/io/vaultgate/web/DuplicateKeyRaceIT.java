package io.vaultgate.web;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.testing.RealParts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two requests that create the same unique row at once: the loser's insert meets the winner's row
 * (MySQL's 1062). Nothing is wrong with the gateway or the database, and asking again sees what the
 * winner did, so the loser answers 409 {@code concurrent-change}, never the database's message (it
 * quotes the values). Two PUTs of a service's requirements race so whenever neither DELETE has
 * anything to lock: under READ COMMITTED (a server default some installations choose, and dev
 * mode's H2 default), which this class sets. A trigger holds each insert for a moment, so the two
 * requests always meet.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuplicateKeyRaceIT extends GatewayTest {

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("datasources.default.transaction-isolation", "TRANSACTION_READ_COMMITTED");
    }

    @BeforeAll
    void catalog() {
        api = admin();
        assertThat(api.put("/v1/projects/acme", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/services/api", null).status()).isEqualTo(201);
    }

    @Test
    void theLoserOfTwoConcurrentPutsOfTheSameRequirementsAnswers409AndQuotesNothing() throws Exception {
        execute("CREATE TRIGGER hold_requirement BEFORE INSERT ON service_requirement"
                + " FOR EACH ROW SET @held = SLEEP(1)");
        List<Answer> answers;
        String logged;
        try (LogCapture logs = new LogCapture()) {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Answer>> puts = List.of(put(start), put(start));
            start.countDown();
            answers = List.of(puts.get(0).get(30, TimeUnit.SECONDS), puts.get(1).get(30, TimeUnit.SECONDS));
            logged = logs.text();
        } finally {
            execute("DROP TRIGGER hold_requirement");
        }

        assertThat(answers).extracting(Answer::status).as(answers.toString()).containsExactlyInAnyOrder(200, 409);
        Answer lost =
                answers.stream().filter(a -> a.status() == 409).findFirst().orElseThrow();
        assertThat(lost.code()).as(lost.toString()).isEqualTo("concurrent-change");
        assertThat(lost.body()).doesNotContain("Duplicate").doesNotContain("DATABASE_URL");
        assertThat(logged).doesNotContain("Duplicate entry").doesNotContain("DATABASE_URL");
        assertThat(api.get("/v1/projects/acme/services/api/requirements")
                        .json()
                        .path("keys")
                        .toString())
                .isEqualTo("[\"DATABASE_URL\"]");
    }

    private CompletableFuture<Answer> put(CountDownLatch start) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return api.put("/v1/projects/acme/services/api/requirements", json("keys", List.of("DATABASE_URL")));
        });
    }
}
