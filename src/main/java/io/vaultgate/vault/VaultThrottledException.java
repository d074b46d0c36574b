package io.vaultgate.vault;

import io.vaultgate.values.ValueStoreUnavailableException;

/**
 * Vault answered 429: a rate-limit quota refused the call, or a standby cannot serve it. The
 * store is unavailable for this call, but not down: see {@link VaultCalls} for what that changes.
 */
final class VaultThrottledException extends ValueStoreUnavailableException {

    VaultThrottledException(String message) {
        super(message, null);
    }
}
