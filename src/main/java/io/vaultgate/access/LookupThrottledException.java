package io.vaultgate.access;

/** A token lookup not made: its {@link LookupAdmission} refused it (too many unknown tokens). */
public final class LookupThrottledException extends RuntimeException {

    public LookupThrottledException() {
        super("too many unknown tokens; lookup not made", null, false, false);
    }
}
