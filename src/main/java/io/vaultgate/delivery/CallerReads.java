package io.vaultgate.delivery;

import io.vaultgate.access.CallerToken;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.VersionedEntry;
import java.util.List;
import java.util.Optional;

/**
 * Reads of scope entries made with the caller's own token rather than the gateway's, so the
 * token authority checks the caller's policy, counts the reads against the caller's
 * {@code num_uses} and records them in its audit log under the caller's accessor.
 *
 * <p>Only an entry's current version can be read this way: a workload token may not name a
 * version (older versions may hold values deleted since). A caller that needs an older version
 * reads the current one this way first, which proves the token may read the entry, and then the
 * version it needs from the value store ({@code SecretValueStore}).
 */
public interface CallerReads {

    /**
     * Reads the current version of every entry asked for, all at once (one request each, in
     * parallel), never retried: each request is one of the token's uses.
     *
     * @return one answer per entry, in order; empty when the entry does not exist
     * @throws CallerTokenRefusedException when the token may not read one of the entries
     */
    List<Optional<VersionedEntry>> readAs(CallerToken token, List<EntryPath> entries);
}
