package io.vaultgate.vault;

/** A token lookup not made because its source spent its {@link LookupBudget} on unknown tokens. */
public final class LookupThrottledException extends RuntimeException {

    public LookupThrottledException() {
        super("too many unknown tokens from this source; lookup not made", null, false, false);
    }
}
