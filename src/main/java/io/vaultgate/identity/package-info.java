/**
 * Deployments as identities (an entity alias each in Vault, which the one static workload policy
 * is templated on: {@link io.vaultgate.identity.DeploymentIdentities}) and the tokens the gateway
 * mints, workload and operator, with their record in {@code issued_token}. It owns the
 * {@link io.vaultgate.identity.IdentityOperations} port: Vault is the token authority in production
 * (the gateway stores accessors, never a token, and writes no policy); dev mode has a local
 * authority with the same behaviour.
 *
 * <p>Workload identity federation lives here too: deployments bound to an external identity
 * ({@link io.vaultgate.identity.IdentityBindings}) and JWTs exchanged for their workload tokens
 * ({@link io.vaultgate.identity.JwtExchange}, which verifies with nimbus-jose-jwt and mints
 * through {@link io.vaultgate.identity.WorkloadTokens#mintFor}).
 *
 * <h2>Use counts: {@code numUses} counts boot fetches</h2>
 * Vault spends one of a token's {@code num_uses} on every request made with it (each KV read, and
 * a 404 or a 403 as well); a lookup made with the gateway's own token spends none. A boot fetch
 * reads the deployment's scope entries with the workload's own token, so a token minted for
 * {@code numUses: n} gets Vault {@code num_uses = n × 5} ({@link io.vaultgate.identity.TokenRules#READS_PER_FETCH}),
 * and a fetch with such a token always makes exactly five reads, one per scope, reading an entry
 * that does not exist too. So exactly {@code n} fetches succeed and Vault revokes the token after
 * the last read of the last one. Before reading, the fetch checks the remaining {@code num_uses}
 * (looked up fresh: a limited token's lookup is never cached) and refuses with 403 when fewer
 * than five are left, rather than spend them on a fetch that cannot complete. A 304 (the caller's
 * ETag is current) reads nothing and spends nothing. Two concurrent fetches with the last five
 * uses race in Vault: at most one completes. A holder who spends uses on Vault directly (the
 * token can read its entries there) gets fewer fetches, never more.
 */
package io.vaultgate.identity;
