package io.vaultgate.vault;

import java.util.Optional;

/**
 * Who a bearer token belongs to. In production Vault is the token authority and this is a
 * token lookup made with the gateway's own token; in dev mode tokens are local.
 */
public interface TokenIntrospection {

    /** The token's identity, or empty when the token is unknown, expired or revoked. */
    Optional<TokenInfo> lookup(String token);

    /**
     * Forgets whatever is remembered about the token with this accessor, so a token revoked
     * through this gateway stops working here at once rather than when a cached lookup expires.
     */
    default void forget(String accessor) {
    }
}
