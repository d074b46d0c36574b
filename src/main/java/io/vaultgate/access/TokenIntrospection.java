package io.vaultgate.access;

import java.util.Optional;

/**
 * Who a bearer token belongs to. In production Vault is the token authority and this is a
 * token lookup made with the gateway's own token; in dev mode tokens are local.
 */
public interface TokenIntrospection {

    /**
     * The token's identity, or empty when the token is unknown, expired or revoked. An answer not
     * already known is asked of the authority only if {@code admission} admits the token.
     *
     * @throws LookupThrottledException when the answer is not known and admission refused the lookup
     */
    Optional<TokenInfo> lookup(String token, LookupAdmission admission);

    /** {@link #lookup(String, LookupAdmission)}, every lookup admitted. */
    default Optional<TokenInfo> lookup(String token) {
        return lookup(token, LookupAdmission.ALWAYS);
    }

    /**
     * Forgets whatever is remembered about the token with this accessor, so a token revoked
     * through this gateway stops working here at once rather than when a cached lookup expires,
     * including an answer about it still on its way from the authority.
     */
    default void forget(String accessor) {}
}
