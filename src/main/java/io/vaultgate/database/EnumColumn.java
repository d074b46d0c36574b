package io.vaultgate.database;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import io.vaultgate.web.WireNames;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Stores an enum as its {@link WireNames wire name}, so a column reads as the API does and a query
 * names a state the way the code does ({@code status = 'pending'}). A feature declares one
 * subclass per stored enum and names it in {@code @MappedProperty(converter = ...)}.
 */
public abstract class EnumColumn<E extends Enum<E>> implements AttributeConverter<E, String> {

    private final Class<E> type;
    private final Map<String, E> byWireName;

    protected EnumColumn(Class<E> type) {
        this.type = type;
        this.byWireName = Arrays.stream(type.getEnumConstants())
                .collect(Collectors.toUnmodifiableMap(WireNames::of, Function.identity()));
    }

    @Override
    public String convertToPersistedValue(E value, ConversionContext context) {
        return value == null ? null : WireNames.of(value);
    }

    @Override
    public E convertToEntityValue(String stored, ConversionContext context) {
        if (stored == null) {
            return null;
        }
        E value = byWireName.get(stored);
        if (value == null) {
            throw new IllegalStateException("a " + type.getSimpleName() + " column holds '" + stored
                    + "', which no value spells; was it written by a newer version?");
        }
        return value;
    }
}
