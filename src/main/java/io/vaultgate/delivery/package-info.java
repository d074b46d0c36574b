/**
 * Boot delivery: {@code GET /v1/env} turns a workload token into its deployment's resolved
 * environment (JSON, dotenv or POSIX shell) with one SQL statement and at most five Vault reads
 * made with the caller's own token, an ETag that is the config revision, last-accessed times
 * aggregated in memory and flushed periodically, and service requirements with their check.
 */
package io.vaultgate.delivery;
