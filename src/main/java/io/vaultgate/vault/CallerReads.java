package io.vaultgate.vault;

import java.util.List;
import java.util.Optional;

/**
 * Reads of scope entries made with the caller's own token rather than the gateway's, so the
 * token authority checks the caller's policy, counts the reads against the caller's
 * {@code num_uses} and records them in its audit log under the caller's accessor.
 */
public interface CallerReads {

    /**
     * Reads every entry asked for, all at once (one request each, in parallel), never retried:
     * each request is one of the token's uses.
     *
     * @return one answer per read, in order; empty when the entry (or that version) does not exist
     * @throws CallerTokenRefusedException when the token may not read one of the entries
     */
    List<Optional<VersionedEntry>> readAs(CallerToken token, List<EntryRead> reads);

    /** One entry to read: at {@code version}, or its latest version when {@code version} is 0. */
    record EntryRead(EntryPath path, int version) {
    }
}
