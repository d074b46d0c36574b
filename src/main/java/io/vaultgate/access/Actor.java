package io.vaultgate.access;

import io.micronaut.core.annotation.Nullable;
import java.util.Objects;

/**
 * Who did something, as change-sets, the audit log and restart events record it: the token's
 * accessor (safe to keep, unlike the token), its display name, and the request it came with.
 */
public record Actor(String accessor, @Nullable String displayName, String requestId) {

    public Actor {
        Objects.requireNonNull(accessor, "accessor");
        Objects.requireNonNull(requestId, "requestId");
    }

    public static Actor of(Caller caller, String requestId) {
        return new Actor(caller.accessor(), caller.displayName(), requestId);
    }
}
