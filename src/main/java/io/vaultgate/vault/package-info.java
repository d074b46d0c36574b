/**
 * Secret values and token lookups: the {@link io.vaultgate.vault.SecretValueStore} port with its
 * two adapters (Vault KV v2 in production, a local AES-256-GCM store in dev mode) and the
 * caller-token lookup. It is the only package that talks to Vault, so Vault's vocabulary, its
 * HTTP failures and the circuit breaker around it stay in here.
 */
package io.vaultgate.vault;
