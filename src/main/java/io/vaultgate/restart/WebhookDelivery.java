package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;
import java.util.Optional;

/**
 * One event owed to one hook. {@code pending} rows are due at {@code nextAttemptAt};
 * {@code sending} rows are leased to a dispatcher until {@code nextAttemptAt}, after which any
 * replica may claim them again. {@code lastError} is empty when the last attempt got an HTTP
 * status ({@code lastStatusCode} says which), except {@code hook-disabled} after a 410. The
 * methods below are every move a delivery makes after it is claimed.
 */
@MappedEntity("webhook_delivery")
record WebhookDelivery(
        @Id @GeneratedValue @Nullable Long id,
        String deliveryId,
        Long webhookId,
        String eventId,

        @MappedProperty(converter = DeliveryStatus.Column.class)
        DeliveryStatus status,

        int attempts,
        Instant nextAttemptAt,
        @Nullable Instant leaseUntil,
        @Nullable Integer lastStatusCode,

        @Nullable @MappedProperty(converter = DeliveryErrorConverter.class)
        DeliveryError lastError,

        Instant createdAt,
        @Nullable Instant deliveredAt) {

    static WebhookDelivery due(String deliveryId, Long webhookId, String eventId, Instant due, Instant now) {
        return new WebhookDelivery(
                null, deliveryId, webhookId, eventId, DeliveryStatus.PENDING, 0, due, null, null, null, now, null);
    }

    /** Not sent this time (its hook's breaker is open, its secret unreadable): due again at {@code retryAt}. */
    WebhookDelivery postponed(Instant retryAt) {
        return new WebhookDelivery(
                id,
                deliveryId,
                webhookId,
                eventId,
                DeliveryStatus.PENDING,
                attempts,
                retryAt,
                null,
                lastStatusCode,
                DeliveryError.POSTPONED,
                createdAt,
                null);
    }

    /** Never to be sent: its hook was removed or disabled. */
    WebhookDelivery cancelled(DeliveryError why, @Nullable Integer statusCode, int attemptsMade) {
        return new WebhookDelivery(
                id,
                deliveryId,
                webhookId,
                eventId,
                DeliveryStatus.CANCELLED,
                attemptsMade,
                nextAttemptAt,
                null,
                statusCode,
                why,
                createdAt,
                null);
    }

    /**
     * Attempt {@code attempt} failed: pending again at the retry schedule's next time, or dead
     * when the schedule has none left.
     */
    WebhookDelivery failed(
            int attempt, @Nullable Integer statusCode, @Nullable DeliveryError error, Optional<Instant> retryAt) {
        return new WebhookDelivery(
                id,
                deliveryId,
                webhookId,
                eventId,
                retryAt.isPresent() ? DeliveryStatus.PENDING : DeliveryStatus.DEAD,
                attempt,
                retryAt.orElse(nextAttemptAt),
                null,
                statusCode,
                error,
                createdAt,
                null);
    }

    boolean dead() {
        return status == DeliveryStatus.DEAD;
    }
}
