package io.vaultgate.database;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.naming.NamingStrategy;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import io.vaultgate.web.Quoting;
import io.vaultgate.web.WireNames;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Stores an enum as its {@link WireNames wire name}, so a column reads as the API does and a query
 * names a state the way the code does ({@code status = 'pending'}). A feature declares one
 * subclass per stored enum and names it in {@code @MappedProperty(converter = ...)}.
 *
 * <p>A spelling it does not know stops the read rather than guess: the row was written by
 * another release (a 0.1 replica still running after the upgrade writes {@code PENDING}), and
 * the message says which column and value, so an operator can find the row.
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
            throw new IllegalStateException("The database holds a spelling this release does not know: column "
                    + column(context) + " holds '" + Quoting.shorten(stored) + "', where this release reads one of "
                    + Arrays.stream(type.getEnumConstants()).map(WireNames::of).collect(Collectors.joining(", "))
                    + " (" + type.getSimpleName()
                    + "). Was the row written by another release, such as a 0.1 replica still running?");
        }
        return value;
    }

    /**
     * The column being read. Micronaut Data converts an entity's property with the property as the
     * context's argument, and names columns by its default naming strategy.
     */
    private static String column(ConversionContext context) {
        return context instanceof ArgumentConversionContext<?> property
                ? NamingStrategy.DEFAULT.mappedName(property.getArgument().getName())
                : "(unnamed)";
    }
}
