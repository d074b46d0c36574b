package io.vaultgate.vault;

import java.util.Collection;

/**
 * The identity side of the token authority: per-deployment ACL policies, tokens minted from
 * token roles, and revocation by accessor. Vault in production; dev mode's local authority
 * implements the same port, so the gateway behaves alike in both.
 */
public interface IdentityOperations {

    /**
     * Creates or replaces the ACL policy {@code name}: {@code read} on exactly the data paths of
     * these entries, nothing else. Idempotent.
     */
    void putReadPolicy(String name, Collection<EntryPath> entries);

    /** Deletes the policy; a policy that does not exist is not an error. */
    void deletePolicy(String name);

    /**
     * Creates a token through a token role. The TTL asked for is the TTL granted: a store that
     * would grant less (a role's {@code token_explicit_max_ttl} below it) revokes what it made and
     * throws, it never hands out a silently shorter token.
     */
    IssuedToken createToken(String role, TokenRequest request);

    /**
     * Revokes the token with this accessor.
     *
     * @return false when no live token has this accessor (already revoked or expired)
     */
    boolean revokeAccessor(String accessor);
}
