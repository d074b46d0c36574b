/**
 * Who is calling and what they may do: the bearer-token filter, the {@link io.vaultgate.access.Caller}
 * it binds to routes, the role rules in {@link io.vaultgate.access.Access}, and the
 * {@link io.vaultgate.access.Actor} that change-sets and the audit record. It owns two ports:
 * {@link io.vaultgate.access.TokenIntrospection} (a token lookup; Vault in production, local in dev
 * mode) and {@link io.vaultgate.access.MintedTokens} (what the gateway minted; kept by
 * {@code identity}).
 */
package io.vaultgate.access;
