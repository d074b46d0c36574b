/**
 * Who is calling: the bearer-token filter, the {@link io.vaultgate.identity.Caller} it binds, and
 * the access rules. Vault is the token authority in production; dev mode has one local admin token.
 */
package io.vaultgate.identity;
