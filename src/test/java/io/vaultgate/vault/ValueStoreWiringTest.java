package io.vaultgate.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** Which adapter each mode gets, and that configuration reaches it; no server, no Vault call. */
class ValueStoreWiringTest {

    @TempDir
    Path dataDir;

    @Test
    void devModeUsesTheLocalStoreWithTheConfiguredMaxVersions() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "vaultgate.dev.data-dir", dataDir.toString(),
                "vaultgate.dev.max-versions", "7"), "dev")) {

            assertThat(context.getBean(SecretValueStore.class)).isInstanceOf(LocalEncryptedValueStore.class);
            assertThat(context.getBean(DevStoreProperties.class).maxVersions()).isEqualTo(7);
            assertThat(context.containsBean(VaultCalls.class)).isFalse();
        }
    }

    @Test
    void theValueStoreTakesPartInReadiness() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "vaultgate.dev.data-dir", dataDir.toString()), "dev")) {

            HealthIndicator indicator = context.getBeansOfType(HealthIndicator.class, Qualifiers.byStereotype(Readiness.class))
                    .stream().filter(ValueStoreHealthIndicator.class::isInstance).findFirst().orElseThrow();
            HealthResult result = Mono.from(indicator.getResult()).block(Duration.ofSeconds(10));

            assertThat(result.getName()).isEqualTo("valueStore");
            assertThat(result.getStatus()).isEqualTo(HealthStatus.UP);
        }
    }

    @Test
    void productionModeUsesVaultWithTheResilienceSettings() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                // No MySQL here: the test's metadata goes to an H2 file.
                "datasources.default.url", "jdbc:h2:file:" + dataDir.resolve("metadata") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE",
                "datasources.default.driver-class-name", "org.h2.Driver",
                "datasources.default.username", "sa",
                "vaultgate.vault.uri", "http://127.0.0.1:1",
                "vaultgate.vault.token", "test-token-never-sent",
                "vaultgate.vault.mount", "vaultgate",
                "vaultgate.vault.path-prefix", "projects",
                "vaultgate.vault.resilience.failure-rate-threshold", "25",
                "vaultgate.vault.resilience.wait-in-open-state", "42s"), "production")) {

            assertThat(context.getBean(SecretValueStore.class)).isInstanceOf(VaultSecretValueStore.class);
            assertThat(context.getBean(TokenIntrospection.class)).isInstanceOf(VaultTokenIntrospection.class);
            VaultResilienceProperties resilience = context.getBean(VaultResilienceProperties.class);
            assertThat(resilience.failureRateThreshold()).isEqualTo(25f);
            assertThat(resilience.waitInOpenState()).isEqualTo(Duration.ofSeconds(42));
            assertThat(resilience.readRetryAttempts()).isEqualTo(3);
            assertThat(context.containsBean(LocalEncryptedValueStore.class)).isFalse();
        }
    }
}
