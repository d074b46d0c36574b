/**
 * Vault adapters, and only those: the KV v2 {@code SecretValueStore}, token lookups, deployment
 * identities and token roles, reads made with a caller's own token, and the gateway's own token
 * ({@code GatewayToken}: from {@code VAULT_TOKEN} or a file that may be replaced while the gateway
 * runs, renewed by {@code GatewayTokenUpkeep}). The only package that
 * imports Spring Vault, so Vault's vocabulary (mount, path, version, cas, accessor), its HTTP
 * failures and the circuit breakers around it stay in here. Nothing depends on this package.
 */
package io.vaultgate.vault;
