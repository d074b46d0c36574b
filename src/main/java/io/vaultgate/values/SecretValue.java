package io.vaultgate.values;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One secret value. Its {@code toString()} never prints the value, so a value that ends up in a
 * log statement or an exception message by mistake still does not leak.
 */
public record SecretValue(String plaintext) {

    public SecretValue {
        Objects.requireNonNull(plaintext, "plaintext");
    }

    public int utf8Length() {
        return plaintext.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public String toString() {
        return "SecretValue[redacted]";
    }
}
