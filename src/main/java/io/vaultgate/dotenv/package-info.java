/**
 * The .env parser and writer: dotenvx syntax with the deliberate differences that
 * {@link io.vaultgate.dotenv.Dotenv} lists, pure and dependency-free: the gateway's import reads a
 * file with it, and GET /v1/env writes one. {@code Dotenv} states the grammar; errors name a line,
 * never a value. Reading is bounded by {@link io.vaultgate.dotenv.DotenvLimits}, checked while
 * references expand.
 */
package io.vaultgate.dotenv;
