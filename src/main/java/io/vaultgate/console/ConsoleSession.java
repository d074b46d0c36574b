package io.vaultgate.console;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.CallerToken;
import java.time.Instant;
import java.util.Objects;

/**
 * What the sealed cookie holds: the signed-in token (none before sign-in), the session's CSRF
 * secret, when it began and when it was last used. Never printed.
 */
record ConsoleSession(@Nullable CallerToken token, String csrf, Instant startedAt, Instant lastSeen) {

    ConsoleSession {
        Objects.requireNonNull(csrf, "csrf");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }

    boolean signedIn() {
        return token != null;
    }

    ConsoleSession seenAt(Instant now) {
        return new ConsoleSession(token, csrf, startedAt, now);
    }

    @Override
    public String toString() {
        return "ConsoleSession[redacted]";
    }
}
