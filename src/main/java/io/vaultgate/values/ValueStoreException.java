package io.vaultgate.values;

/**
 * The one root of failures in the value store. Messages name paths and versions, never values,
 * and never carry Vault's raw response body.
 */
public class ValueStoreException extends RuntimeException {

    private final boolean changedNothing;

    public ValueStoreException(String message) {
        this(message, null, false);
    }

    public ValueStoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** @param changedNothing the call certainly changed nothing in the store (see {@link #changedNothing()}) */
    public ValueStoreException(String message, Throwable cause, boolean changedNothing) {
        super(message, cause);
        this.changedNothing = changedNothing;
    }

    /**
     * Whether the store certainly did not apply the call: it was never sent (no connection, the
     * circuit breaker open), or the store answered that it refused it. False when it may have been
     * applied and only the answer was lost (a timeout, a reset, a gateway error in between).
     */
    public boolean changedNothing() {
        return changedNothing;
    }
}
