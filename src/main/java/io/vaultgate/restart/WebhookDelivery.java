package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;

/**
 * One event owed to one hook. {@code pending} rows are due at {@code nextAttemptAt};
 * {@code sending} rows are leased to a dispatcher until {@code nextAttemptAt}, after which any
 * replica may claim them again. {@code lastError} is empty when the last attempt got an HTTP
 * status ({@code lastStatusCode} says which), except {@code hook-disabled} after a 410.
 */
@MappedEntity("webhook_delivery")
record WebhookDelivery(@Id @GeneratedValue @Nullable Long id, String deliveryId, Long webhookId, String eventId,
                       String status, int attempts, Instant nextAttemptAt, @Nullable Instant leaseUntil,
                       @Nullable Integer lastStatusCode,
                       @Nullable @MappedProperty(converter = DeliveryErrorConverter.class) DeliveryError lastError,
                       Instant createdAt,
                       @Nullable Instant deliveredAt) {

    static final String PENDING = "pending";
    static final String SENDING = "sending";
    static final String DELIVERED = "delivered";
    static final String DEAD = "dead";
    static final String CANCELLED = "cancelled";
}
