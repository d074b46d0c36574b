package io.vaultgate.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.vaultgate.access.TokenIntrospection;
import io.vaultgate.values.SecretValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production mode gets the Vault adapters, with their configuration; no server, no Vault call. */
class VaultWiringTest {

    @TempDir
    Path dataDir;

    @Test
    void productionModeUsesVaultWithTheResilienceSettings() {
        try (ApplicationContext context = ApplicationContext.run(
                Map.of(
                        // No MySQL here: the test's metadata goes to an H2 file.
                        "datasources.default.url",
                                "jdbc:h2:file:" + dataDir.resolve("metadata") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE",
                        "datasources.default.driver-class-name", "org.h2.Driver",
                        "datasources.default.username", "sa",
                        "vaultgate.vault.uri", "http://127.0.0.1:1",
                        "vaultgate.vault.token", "test-token-never-sent",
                        "vaultgate.vault.mount", "vaultgate",
                        "vaultgate.vault.path-prefix", "projects",
                        "vaultgate.vault.resilience.failure-rate-threshold", "25",
                        "vaultgate.vault.resilience.wait-in-open-state", "42s"),
                "production")) {

            assertThat(context.getBean(SecretValueStore.class)).isInstanceOf(VaultSecretValueStore.class);
            assertThat(context.getBean(TokenIntrospection.class)).isInstanceOf(VaultTokenIntrospection.class);
            VaultResilienceProperties resilience = context.getBean(VaultResilienceProperties.class);
            assertThat(resilience.failureRateThreshold()).isEqualTo(25f);
            assertThat(resilience.waitInOpenState()).isEqualTo(Duration.ofSeconds(42));
            assertThat(resilience.readRetryAttempts()).isEqualTo(3);
        }
    }
}
