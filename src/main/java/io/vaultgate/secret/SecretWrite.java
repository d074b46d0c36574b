package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.WriteFlags;

/**
 * Who asks for a secret write and how: the caller (for what they may do), the actor (for the
 * record), the query flags and the {@code Idempotency-Key} that makes a retry apply once.
 */
public record SecretWrite(
        Caller caller,
        Actor actor,
        WriteFlags flags,
        @Nullable String idempotencyKey) {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    public SecretWrite {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST, "An Idempotency-Key is 1 to 255 characters.", IDEMPOTENCY_KEY);
        }
    }
}
