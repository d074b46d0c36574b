/**
 * The embedded default's adapters ({@code MICRONAUT_ENVIRONMENTS=dev}): a local AES-256-GCM value
 * store, a local token authority with the behaviour of Vault's, the owner-only data folder and the
 * admin token printed at start. Nothing depends on this package; its beans exist only in dev mode.
 */
package io.vaultgate.devmode;
