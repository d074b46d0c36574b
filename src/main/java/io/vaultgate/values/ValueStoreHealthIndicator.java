package io.vaultgate.values;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * {@code valueStore} in {@code /health} and {@code /health/readiness}: a replica whose Vault is
 * sealed or unreachable cannot serve a boot or accept a write, so it should leave the load
 * balancer rather than answer 503s. It is not a liveness check: restarting the gateway does not
 * unseal Vault. The probe runs on the blocking executor (AbstractHealthIndicator's).
 */
@Singleton
@Readiness
@Requires(beans = SecretValueStore.class)
class ValueStoreHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    static final String NAME = "valueStore";

    private final SecretValueStore store;

    ValueStoreHealthIndicator(SecretValueStore store) {
        this.store = store;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        StoreHealth health;
        try {
            health = store.health();
        } catch (RuntimeException e) {
            health = StoreHealth.down(
                    "value store health check failed: " + e.getClass().getSimpleName());
        }
        healthStatus = health.up() ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("detail", health.detail());
    }

    @Override
    protected String getName() {
        return NAME;
    }
}
