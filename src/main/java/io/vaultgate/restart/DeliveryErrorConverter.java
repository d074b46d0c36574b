package io.vaultgate.restart;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

/** Stores a {@link DeliveryError} as its wire name, {@code connection-failed}, so the column reads as the API does. */
@Singleton
class DeliveryErrorConverter implements AttributeConverter<DeliveryError, String> {

    @Override
    public String convertToPersistedValue(DeliveryError error, ConversionContext context) {
        return error == null ? null : error.wireName();
    }

    @Override
    public DeliveryError convertToEntityValue(String stored, ConversionContext context) {
        return stored == null ? null : DeliveryError.fromWireName(stored);
    }
}
