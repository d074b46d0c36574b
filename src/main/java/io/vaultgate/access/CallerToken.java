package io.vaultgate.access;

import java.util.Objects;

/** A caller's bearer token, carried only to make reads as that caller. Never printed. */
public record CallerToken(String token) {

    public CallerToken {
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "CallerToken[redacted]";
    }
}
