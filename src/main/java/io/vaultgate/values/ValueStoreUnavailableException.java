package io.vaultgate.values;

/** The store cannot be reached, is sealed, or its circuit breaker is open. Callers answer 503. */
public class ValueStoreUnavailableException extends ValueStoreException {

    public ValueStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ValueStoreUnavailableException(String message, Throwable cause, boolean changedNothing) {
        super(message, cause, changedNothing);
    }
}
