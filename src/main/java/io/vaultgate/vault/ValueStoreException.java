package io.vaultgate.vault;

/**
 * The one root of failures in the value store. Messages name paths and versions, never values,
 * and never carry Vault's raw response body.
 */
public class ValueStoreException extends RuntimeException {

    public ValueStoreException(String message) {
        super(message);
    }

    public ValueStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
