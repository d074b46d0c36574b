package io.vaultgate.identity;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import java.time.Duration;

/**
 * The rules for what a mint request may ask: the ttl (a default when absent, refused above the
 * maximum, never silently capped) and the use count, and how a use count in boot fetches
 * becomes Vault's {@code num_uses}. Pure, so the table-driven tests pin them down.
 */
public final class TokenRules {

    /**
     * Vault requests one boot fetch makes with the workload's own token: one KV read per scope
     * of the deployment's chain. A fetch for a token with a use limit always makes exactly this
     * many (reading an entry that does not exist costs a use too), so a token minted for
     * {@code n} fetches gets {@code num_uses = n * READS_PER_FETCH}. See the package-info.
     */
    public static final int READS_PER_FETCH = 5;

    private TokenRules() {}

    /** The ttl to mint with: {@code requestedSeconds}, or the default when null. */
    public static Duration ttl(Integer requestedSeconds, Duration defaultTtl, Duration maxTtl) {
        if (requestedSeconds == null) {
            return defaultTtl;
        }
        if (requestedSeconds < 1) {
            throw new ApiException(
                    ErrorCode.INVALID_TTL, "ttlSeconds must be 1 or more; got " + requestedSeconds + ".", "ttlSeconds");
        }
        Duration requested = Duration.ofSeconds(requestedSeconds);
        if (requested.compareTo(maxTtl) > 0) {
            throw new ApiException(
                    ErrorCode.TTL_TOO_LONG,
                    "ttlSeconds " + requestedSeconds + " is above the maximum of "
                            + maxTtl.toSeconds() + " seconds for this kind of token; ask for " + maxTtl.toSeconds()
                            + " or less (the maximum is vaultgate.tokens configuration).",
                    "ttlSeconds");
        }
        return requested;
    }

    /** Boot fetches a workload token may make: 0 (or absent) for unlimited. */
    public static int bootFetches(Integer requested, int max) {
        if (requested == null || requested == 0) {
            return 0;
        }
        if (requested < 0 || requested > max) {
            throw new ApiException(
                    ErrorCode.INVALID_NUM_USES,
                    "numUses is the number of boot fetches (GET /v1/env) "
                            + "the token may make: 0 for unlimited, or 1 to " + max + "; got " + requested + ".",
                    "numUses");
        }
        return requested;
    }

    /** Vault's {@code num_uses} for a token allowed this many boot fetches (0: unlimited). */
    public static int vaultNumUses(int bootFetches) {
        return Math.multiplyExact(bootFetches, READS_PER_FETCH);
    }

    /** Complete boot fetches left to a token with this many Vault uses left (0 uses: unlimited, -1 here). */
    public static int fetchesLeft(int vaultUsesLeft) {
        return vaultUsesLeft == 0 ? -1 : vaultUsesLeft / READS_PER_FETCH;
    }
}
