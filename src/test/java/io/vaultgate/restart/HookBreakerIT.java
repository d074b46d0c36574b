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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A hook's circuit breaker is for a receiver that is down, not one that is flaky: against a real
 * receiver that fails every other request, each failed delivery is retried on the schedule and
 * all arrive, instead of the breaker opening (at 50 % failures it used to) and holding them for
 * the whole open wait. Real gateway, OpenBao and MariaDB.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HookBreakerIT extends GatewayTest {

    private static final int EVENTS = 30;

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>(RestartEventsIT.dispatchProperties());
        properties.put("vaultgate.restart.circuit-open-wait", "5m"); // an open breaker would outlast the test
        return properties;
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        ok(api.put("/v1/projects/flaky", null));
        ok(api.put("/v1/projects/flaky/hook-networks", json("allowedPrivate", List.of("127.0.0.1/32"))));
        ok(api.put("/v1/projects/flaky/environments/prod", json("type", "production")));
        ok(api.put("/v1/projects/flaky/services/api", null));
        ok(api.put("/v1/projects/flaky/environments/prod/services/api", null));
    }

    @Test
    void aReceiverFailingHalfItsRequestsStillGetsEveryDeliveryThroughRetries() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.failEveryOtherRequest();
            Answer created = api.post("/v1/projects/flaky/hooks", json("url", receiver.url()));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            receiver.trust(created.json().path("secret").asText());

            for (int i = 0; i < EVENTS; i++) {
                ok(api.put(
                        "/v1/projects/flaky/environments/prod/services/api/secrets/COUNTER", json("value", "n" + i)));
            }

            Instant deadline = Instant.now().plus(Duration.ofSeconds(40));
            while (receiver.accepted().size() < EVENTS && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(receiver.accepted())
                    .as(
                            "every event delivered, %d requests",
                            receiver.requests().size())
                    .hasSize(EVENTS);
            assertThat(receiver.badSignatures()).isZero();
        }
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
