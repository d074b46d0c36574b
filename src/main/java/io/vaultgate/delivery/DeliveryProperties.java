package io.vaultgate.delivery;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * Boot delivery.
 *
 * @param accessFlushInterval how often the last-accessed times gathered in memory are written to
 *                            MySQL (default 30s); a boot never writes by itself
 */
@ConfigurationProperties("vaultgate.delivery")
record DeliveryProperties(@Nullable Duration accessFlushInterval) {

    DeliveryProperties {
        accessFlushInterval = accessFlushInterval == null ? Duration.ofSeconds(30) : accessFlushInterval;
    }
}
