package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Actor;
import io.vaultgate.scope.Scope;
import io.vaultgate.values.SecretValue;
import io.vaultgate.web.RestartMode;
import java.util.List;

/**
 * A write as the API received it, validated: one scope, the keys it changes, who asks, and the
 * idempotency key that makes a retry apply once.
 *
 * @param idempotencyKey  the caller's {@code Idempotency-Key}, or null
 * @param idempotencyPath method and path the key was first used with; reuse elsewhere is refused
 * @param dryRun          answer what would change and who would restart, change nothing
 * @param restart         whether the change emits restart events ({@code ?restart=none} does not)
 */
record ChangeRequest(
        Scope scope,
        String action,
        List<KeyChange> changes,
        Actor actor,
        @Nullable String idempotencyKey,
        String idempotencyPath,
        boolean dryRun,
        RestartMode restart) {

    ChangeRequest {
        changes = List.copyOf(changes);
    }

    /**
     * One key's change: a new value, or a delete when {@code value} is null.
     *
     * @param expectedVersion the version the caller last saw (0: must not exist), or null for "any"
     */
    record KeyChange(
            String key,
            @Nullable SecretValue value,
            @Nullable Integer expectedVersion) {

        boolean delete() {
            return value == null;
        }
    }
}
