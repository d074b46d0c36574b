package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

/** What the secret API takes in a request body. Every type that holds a value prints it redacted. */
public final class SecretBodies {

    /** A value's rule as the API contract states it: text without NUL, which no environment variable holds. */
    static final String NO_NUL = "^[^\\x00]*$";

    private SecretBodies() {}

    /**
     * {@code PUT .../secrets/{KEY}}.
     *
     * @param value           the new value: UTF-8 text without NUL, at most 64 KiB
     * @param expectedVersion the version the caller last saw; 0 means the key must not exist yet
     */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record SetBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = NO_NUL)
            String value,

            @Schema(minimum = "0") @Nullable Integer expectedVersion) {
        @Override
        public String toString() {
            return "SetBody[value=redacted, expectedVersion=" + expectedVersion + "]";
        }
    }

    /**
     * {@code POST .../secrets/{KEY}/rollback}.
     *
     * @param version         the version whose value becomes current again (as a new version)
     * @param expectedVersion the version the caller last saw; 0 means the key must not exist yet
     */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record RollbackBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1")
            Integer version,

            @Schema(minimum = "0") @Nullable Integer expectedVersion) {}
}
