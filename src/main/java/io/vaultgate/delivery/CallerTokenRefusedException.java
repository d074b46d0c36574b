package io.vaultgate.delivery;

import io.vaultgate.values.ValueStoreException;

/**
 * The token authority refused a read made with the caller's own token: the token was revoked,
 * expired or ran out of uses since it was looked up, or its policy does not cover the entry.
 */
public class CallerTokenRefusedException extends ValueStoreException {

    public CallerTokenRefusedException(String message) {
        super(message);
    }
}
