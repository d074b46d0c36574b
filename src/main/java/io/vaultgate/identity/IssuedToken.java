package io.vaultgate.identity;

import java.time.Instant;

/**
 * A token just minted: the token itself (handed to the caller once, stored nowhere), its
 * accessor (kept for audit and revocation), when it expires and Vault's {@code num_uses}.
 */
public record IssuedToken(String token, String accessor, Instant expiresAt, int numUses) {

    @Override
    public String toString() {
        return "IssuedToken[token=redacted, accessor=" + accessor + ", expiresAt=" + expiresAt + ", numUses=" + numUses
                + "]";
    }
}
