package io.vaultgate.vault;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The threads of the two Vault clients, fixed so that a burst of requests cannot grow them. The
 * connections each opens are bounded by the threads that use it: the gateway's client is called
 * from request threads ({@code micronaut.executors.io.n-threads}) and the reconciler, the caller
 * reads from request threads and {@code callerReadThreads}.
 *
 * @param gatewayClientThreads the JDK HttpClient's executor (the gateway's own token), which
 *                             finishes responses; its default is an unbounded cached pool. Token
 *                             lookups do not use it: they block on the request's own thread
 *                             ({@link VaultClientFactory#createForLookups})
 * @param callerReadThreads    threads making a boot fetch's parallel reads with the caller's
 *                             token (four of a fetch's five reads); when all are busy a read runs
 *                             on the request's own thread, so a fetch never waits for this pool
 */
@ConfigurationProperties("vaultgate.vault.pool")
public record VaultPoolProperties(int gatewayClientThreads, int callerReadThreads) {

    public VaultPoolProperties {
        if (gatewayClientThreads < 1 || callerReadThreads < 1) {
            throw new IllegalArgumentException("vaultgate.vault.pool.* are 1 or more.");
        }
    }

    /** application.yml's values, for tests that build the adapters without a Micronaut context. */
    public static VaultPoolProperties defaults() {
        return new VaultPoolProperties(4, 32);
    }
}
