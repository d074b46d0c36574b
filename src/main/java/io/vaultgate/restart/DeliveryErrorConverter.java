package io.vaultgate.restart;

import io.vaultgate.database.EnumColumn;
import jakarta.inject.Singleton;

/** Stores a {@link DeliveryError} as its wire name, {@code connection-failed}, so the column reads as the API does. */
@Singleton
final class DeliveryErrorConverter extends EnumColumn<DeliveryError> {

    DeliveryErrorConverter() {
        super(DeliveryError.class);
    }
}
