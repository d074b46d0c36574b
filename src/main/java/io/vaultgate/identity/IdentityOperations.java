package io.vaultgate.identity;

/**
 * The identity side of the token authority: deployments as identities, tokens minted from
 * token roles, and revocation by accessor. Vault in production; dev mode's local authority
 * implements the same port, so the gateway behaves alike in both.
 *
 * <p>No operation here writes a policy. A workload token holds one fixed policy and is bound to
 * its deployment's identity, and the authority derives from that identity which entries the token
 * reads: whatever the gateway asks, a token reaches its deployment's entries and nothing else.
 */
public interface IdentityOperations {

    /**
     * Creates the deployment's identity, or brings it up to date (its environment's type may have
     * changed). Tokens already bound to it follow at once. Idempotent.
     */
    void bindDeployment(DeploymentIdentity deployment);

    /**
     * Leaves the deployment's identity reading nothing, so a token still bound to it (one minted
     * elsewhere, or revoked late) can read no entry. Binding it again restores it.
     */
    void retireDeployment(DeploymentIdentity deployment);

    /**
     * Creates a token through a token role. The TTL asked for is the TTL granted: a store that
     * would grant less (a role's {@code token_explicit_max_ttl} below it) revokes what it made and
     * throws, it never hands out a silently shorter token. Nor does it hand out a token that
     * carries more policies than asked (an identity bound to a privileged entity).
     */
    IssuedToken createToken(String role, TokenRequest request);

    /**
     * Revokes the token with this accessor.
     *
     * @return false when no live token has this accessor (already revoked or expired)
     */
    boolean revokeAccessor(String accessor);
}
