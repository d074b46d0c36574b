package io.vaultgate.web;

import java.util.Locale;

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
}
