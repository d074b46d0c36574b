/**
 * Everything that talks to Vault: the {@link io.vaultgate.vault.SecretValueStore} port with its
 * two adapters (Vault KV v2 in production, a local AES-256-GCM store in dev mode), caller-token
 * lookups, the identity side of the token authority ({@link io.vaultgate.vault.IdentityOperations}:
 * per-deployment ACL policies, tokens minted from token roles, revocation by accessor) and
 * {@link io.vaultgate.vault.CallerReads}, KV reads made with the caller's own token. It is the only
 * package that imports Spring Vault, so Vault's vocabulary, its HTTP failures and the circuit
 * breaker around it stay in here.
 */
package io.vaultgate.vault;
