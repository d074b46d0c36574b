/**
 * The value-store port: {@link io.vaultgate.values.SecretValueStore}, one entry per scope at an
 * {@link io.vaultgate.values.EntryPath} (the one home of the KV layout), every write a
 * check-and-set, and its failures. Features depend on this package; the adapters that implement
 * it stand at the edge: {@code vault} (KV v2, production) and {@code devmode} (a local encrypted
 * store). A value never prints: {@link io.vaultgate.values.SecretValue#toString()} says "redacted".
 */
package io.vaultgate.values;
