package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;

/** One try at a delivery: what the receiver answered, or the class of why there was no answer. */
@MappedEntity("webhook_attempt")
record WebhookAttempt(
        @Id @GeneratedValue @Nullable Long id,
        Long deliveryId,
        int attempt,
        Instant attemptedAt,
        @Nullable Integer statusCode,

        @Nullable @MappedProperty(converter = DeliveryErrorConverter.class)
        DeliveryError error,

        long durationMs) {}
