package io.vaultgate.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.vaultgate.values.SecretValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.vault.core.VaultTemplate;
import reactor.core.publisher.Mono;

/** Dev mode gets the local adapters, with their configuration, and no Vault client at all. */
class DevModeWiringTest {

    @TempDir
    Path dataDir;

    @Test
    void devModeUsesTheLocalStoreWithTheConfiguredMaxVersions() {
        try (ApplicationContext context = ApplicationContext.run(
                Map.of("vaultgate.dev.data-dir", dataDir.toString(), "vaultgate.dev.max-versions", "7"), "dev")) {

            assertThat(context.getBean(SecretValueStore.class)).isInstanceOf(LocalEncryptedValueStore.class);
            assertThat(context.getBean(DevStoreProperties.class).maxVersions()).isEqualTo(7);
            assertThat(context.containsBean(VaultTemplate.class)).isFalse();
        }
    }

    @Test
    void theValueStoreTakesPartInReadiness() {
        try (ApplicationContext context =
                ApplicationContext.run(Map.of("vaultgate.dev.data-dir", dataDir.toString()), "dev")) {

            HealthResult result =
                    context.getBeansOfType(HealthIndicator.class, Qualifiers.byStereotype(Readiness.class)).stream()
                            .map(indicator -> Mono.from(indicator.getResult()).block(Duration.ofSeconds(10)))
                            .filter(health -> "valueStore".equals(health.getName()))
                            .findFirst()
                            .orElseThrow();

            assertThat(result.getStatus()).isEqualTo(HealthStatus.UP);
        }
    }
}
