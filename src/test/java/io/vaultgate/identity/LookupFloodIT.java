package io.vaultgate.identity;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.testing.RealParts;
import java.net.URI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A flood of garbage tokens against a Vault that rate-limits token calls, as production ones do,
 * must not keep the next workload from booting: on real OpenBao and MariaDB. A class of its own,
 * because the flood leaves this gateway's lookup breaker in whatever state it left it.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LookupFloodIT extends GatewayTest {

    private static final String DEPLOYMENT = "/v1/projects/acme/environments/production/services/api";
    private ApiClient api;
    private EnvClient env;

    @BeforeAll
    void createCatalog() {
        api = admin();
        env = new EnvClient(URI.create(server.getURL().toString()));
        ok(api.put("/v1/projects/acme", null));
        ok(api.put("/v1/projects/acme/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/acme/services/api", null));
        ok(api.put(DEPLOYMENT, null));
        ok(api.put("/v1/projects/acme/secrets/WHO", json("value", "acme")));
    }

    @Test
    void aTokenMintedRightAfterAFloodOfGarbageTokensStillBoots() throws Exception {
        // Workload tokens are minted for each boot, so a boot fetch's token is hardly ever cached:
        // what boot fetches depend on includes the lookup of a token never seen before. The flood
        // comes from one address and stays within what LookupGuard lets one address send.
        try (var quota = stack().limitTokenCalls(5)) {
            GarbageTokens.flood(api, "fresh", 200);
        }
        Thread.sleep(1_100); // Vault's quota interval is over: Vault itself would answer again
        Answer minted = api.post(DEPLOYMENT + "/tokens", json());
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);

        EnvClient.Fetch boot = env.fetch(minted.json().path("token").asText());

        assertThat(boot.status())
                .as("the first boot fetch of a fresh token: %s", boot.body())
                .isEqualTo(200);
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }
}
