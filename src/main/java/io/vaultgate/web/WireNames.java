package io.vaultgate.web;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The one spelling of an enum value outside Java: in JSON, in a query flag and in a SQL column it
 * is its name in lower case with '-' for '_' ({@code SERVICE_IN_ENVIRONMENT} is
 * {@code service-in-environment}).
 */
public final class WireNames {

    private WireNames() {}

    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The value of {@code type} that {@code wireName} spells, if one does; the one way back from a wire name. */
    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String wireName) {
        return Arrays.stream(type.getEnumConstants())
                .filter(value -> of(value).equals(wireName))
                .findFirst();
    }
}
