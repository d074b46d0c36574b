package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.values.EntryPath;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.WriteFlags;

/**
 * Who asks for a secret write and how: the caller (for what they may do), the actor (for the
 * record), the query flags, the {@code Idempotency-Key} that makes a retry apply once, and the
 * change-set draft to stage into instead of writing ({@code ?changeSet={id}}), if any.
 */
public record SecretWrite(
        Caller caller,
        Actor actor,
        WriteFlags flags,
        @Nullable String idempotencyKey,
        @Nullable String changeSet) {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** A draft id as the API spells it: a lower-case UUID. */
    public static final String CHANGE_SET_PATTERN = EntryPath.DRAFT_ID_PATTERN;

    public SecretWrite {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST, "An Idempotency-Key is 1 to 255 characters.", IDEMPOTENCY_KEY);
        }
        if (changeSet != null && !EntryPath.isDraftId(changeSet)) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "changeSet is the id of a change-set draft (a lower-case UUID).",
                    "changeSet");
        }
    }

    /** A write that applies now. */
    public SecretWrite(Caller caller, Actor actor, WriteFlags flags, @Nullable String idempotencyKey) {
        this(caller, actor, flags, idempotencyKey, null);
    }

    /** Whether the request stages into a change-set draft instead of writing. */
    public boolean staged() {
        return changeSet != null;
    }
}
