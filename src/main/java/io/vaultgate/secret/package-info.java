/**
 * Secrets at the five scopes: the API, the rules for names and values, and the write protocol
 * that keeps values in the value store and metadata in MySQL consistent through any single failure.
 */
package io.vaultgate.secret;
