package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One try at a delivery: what the receiver answered, or why there was no answer. */
@MappedEntity("webhook_attempt")
record WebhookAttempt(@Id @GeneratedValue @Nullable Long id, Long deliveryId, int attempt, Instant attemptedAt,
                      @Nullable Integer statusCode, @Nullable String error, long durationMs) {
}
