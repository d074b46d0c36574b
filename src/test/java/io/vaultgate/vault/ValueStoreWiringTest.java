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
                "vaultgate.mode", "dev",
                "vaultgate.dev.data-dir", dataDir.toString(),
                "vaultgate.dev.max-versions", "7"))) {

            assertThat(context.getBean(SecretValueStore.class)).isInstanceOf(LocalEncryptedValueStore.class);
            assertThat(context.getBean(DevStoreProperties.class).maxVersions()).isEqualTo(7);
            assertThat(context.containsBean(VaultCalls.class)).isFalse();
        }
    }

    @Test
    void theValueStoreTakesPartInReadiness() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "vaultgate.mode", "dev",
                "vaultgate.dev.data-dir", dataDir.toString()))) {

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
                "vaultgate.mode", "production",
                "vaultgate.dev.data-dir", dataDir.toString(), // only where the test's H2 metadata goes
                "vaultgate.vault.uri", "http://127.0.0.1:1",
                "vaultgate.vault.token", "test-token-never-sent",
                "vaultgate.vault.mount", "vaultgate",
                "vaultgate.vault.path-prefix", "projects",
                "vaultgate.vault.resilience.failure-rate-threshold", "25",
                "vaultgate.vault.resilience.wait-in-open-state", "42s"))) {

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
