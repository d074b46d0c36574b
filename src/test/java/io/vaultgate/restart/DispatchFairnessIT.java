package io.vaultgate.restart;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tarpit receivers (they accept and never answer) take only their own senders: a healthy tenant's
 * events written while three tarpit hooks of another tenant hold their deliveries still arrive at
 * once, not when the tarpits' requests time out, and only what is in flight is leased. Real
 * gateway, OpenBao and MariaDB.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DispatchFairnessIT extends GatewayTest {

    private static final Duration TARPIT_TIMEOUT = Duration.ofSeconds(8);

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>(RestartEventsIT.dispatchProperties());
        properties.put("vaultgate.restart.request-timeout", TARPIT_TIMEOUT.toSeconds() + "s");
        properties.put("vaultgate.restart.lease", "30s");
        return properties;
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        for (String project : List.of("tarpit", "healthy")) {
            ok(api.put("/v1/projects/" + project, null));
            ok(api.put("/v1/projects/" + project + "/hook-networks", json("allowedPrivate", List.of("127.0.0.1/32"))));
            ok(api.put("/v1/projects/" + project + "/environments/prod", json("type", "production")));
            ok(api.put("/v1/projects/" + project + "/services/api", null));
            ok(api.put("/v1/projects/" + project + "/environments/prod/services/api", null));
        }
    }

    @Test
    void aHealthyTenantsDeliveriesArriveWhileAnotherTenantsTarpitsHoldTheirs() throws Exception {
        List<Receiver> tarpits = new ArrayList<>();
        try (Receiver healthy = new Receiver()) {
            for (int i = 0; i < 3; i++) {
                Receiver tarpit = new Receiver();
                tarpit.holdUntilReleased(TARPIT_TIMEOUT.plusSeconds(5));
                tarpits.add(tarpit);
                register("tarpit", tarpit);
            }
            register("healthy", healthy);
            for (int i = 0; i < 10; i++) {
                ok(api.put("/v1/projects/tarpit/environments/prod/services/api/secrets/K", json("value", "t" + i)));
            }
            awaitUntil(() -> tarpits.stream().mapToInt(Receiver::inFlight).sum() > 0, Duration.ofSeconds(10));
            Thread.sleep(500);
            assertThat(count("SELECT COUNT(*) FROM webhook_delivery WHERE status = 'sending'"))
                    .as("of 30 owed, only what is in flight is leased: a crash now re-sends no more than that")
                    .isEqualTo(tarpits.stream().mapToInt(Receiver::inFlight).sum())
                    .isLessThanOrEqualTo(8);

            Instant written = Instant.now();
            for (int i = 0; i < 5; i++) {
                ok(api.put("/v1/projects/healthy/environments/prod/services/api/secrets/K", json("value", "h" + i)));
            }
            awaitUntil(() -> healthy.accepted().size() == 5, TARPIT_TIMEOUT.plusSeconds(10));
            Duration took = Duration.between(written, Instant.now());

            assertThat(took).as("the healthy tenant waited for no tarpit").isLessThan(Duration.ofSeconds(3));
            assertThat(tarpits.stream().mapToInt(Receiver::mostInFlight).max().orElse(0))
                    .as("one hook holds at most per-hook-concurrency senders")
                    .isLessThanOrEqualTo(4);
            assertThat(tarpits.stream().mapToInt(Receiver::mostInFlight).sum())
                    .as("one project holds at most per-project-concurrency senders")
                    .isLessThanOrEqualTo(8);
        } finally {
            tarpits.forEach(Receiver::release);
            tarpits.forEach(Receiver::close);
        }
    }

    private void register(String project, Receiver receiver) {
        Answer created = api.post("/v1/projects/" + project + "/hooks", json("url", receiver.url()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        receiver.trust(created.json().path("secret").asText());
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, Duration atMost) throws Exception {
        Instant deadline = Instant.now().plus(atMost);
        while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
