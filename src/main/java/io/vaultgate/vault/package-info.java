/**
 * Vault adapters, and only those: the KV v2 {@code SecretValueStore}, token lookups, deployment
 * identities and token roles, and reads made with a caller's own token. The only package that
 * imports Spring Vault, so Vault's vocabulary (mount, path, version, cas, accessor), its HTTP
 * failures and the circuit breakers around it stay in here. Nothing depends on this package.
 */
package io.vaultgate.vault;
