package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;

/** What the secret API takes in a request body. Every type that holds a value prints it redacted. */
final class SecretBodies {

    private SecretBodies() {}

    /**
     * {@code PUT .../secrets/{KEY}}.
     *
     * @param value           the new value: UTF-8 text without NUL, at most 64 KiB
     * @param expectedVersion the version the caller last saw; 0 means the key must not exist yet
     */
    record SetBody(String value, @Nullable Integer expectedVersion) {
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
    record RollbackBody(Integer version, @Nullable Integer expectedVersion) {}
}
