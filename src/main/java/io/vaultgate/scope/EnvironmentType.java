package io.vaultgate.scope;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.Quoting;
import io.vaultgate.web.WireNames;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The kind of place an environment is; secrets can be scoped to every environment of a type. */
public enum EnvironmentType {
    PRODUCTION,
    STAGING,
    DEVELOPMENT,
    PREVIEW,
    LOCAL;

    public String wireName() {
        return WireNames.of(this);
    }

    /** The type a request names in {@code field}; otherwise 400 {@code invalid-environment-type}. */
    public static EnvironmentType parse(String field, String wireName) {
        return WireNames.parse(EnvironmentType.class, wireName)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.INVALID_ENVIRONMENT_TYPE,
                        "An environment type is one of " + allWireNames() + "; got '" + Quoting.shorten(wireName)
                                + "'.",
                        field));
    }

    /** The type a metadata row holds. */
    public static EnvironmentType stored(String wireName) {
        return WireNames.parse(EnvironmentType.class, wireName)
                .orElseThrow(() -> new IllegalStateException("a stored environment type is not one of " + allWireNames()
                        + "; got '" + Quoting.shorten(wireName) + "'"));
    }

    private static String allWireNames() {
        return Arrays.stream(values()).map(EnvironmentType::wireName).collect(Collectors.joining(", "));
    }
}
