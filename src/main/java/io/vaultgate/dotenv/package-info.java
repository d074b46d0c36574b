/**
 * The .env parser and writer: dotenvx syntax with the deviations of DESIGN.md section 6, pure
 * and dependency-free so the gateway (import) and the CLI share one reading of a file.
 * {@link io.vaultgate.dotenv.Dotenv} states the grammar; errors name a line, never a value.
 * Reading is bounded by {@link io.vaultgate.dotenv.DotenvLimits}, checked while references expand.
 */
package io.vaultgate.dotenv;
