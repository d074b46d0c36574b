package io.vaultgate.values;

import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The port every feature uses for secret values. One entry per scope; every write is a
 * check-and-set against the entry's current version, so concurrent writers never lose each
 * other's keys. Two implementations: Vault KV v2 (production) and a local AES-256-GCM store
 * (dev mode). Both pass the same contract tests.
 */
public interface SecretValueStore {

    /**
     * The entry's latest version, or empty when it was never written. A latest version that an
     * operator soft-deleted or destroyed in Vault reads as that version with no keys.
     */
    Optional<VersionedEntry> read(EntryPath path);

    /** One version of the entry; empty when that version is no longer kept (or never existed). */
    Optional<VersionedEntry> read(EntryPath path, int version);

    /** The entry's current version; 0 when it was never written. */
    int currentVersion(EntryPath path);

    /**
     * The oldest version of the entry still kept (versions beyond the store's {@code max_versions}
     * are dropped, oldest first); 0 when the entry was never written. A version at or above it
     * may still be unreadable when an operator soft-deleted or destroyed it in Vault.
     */
    int oldestKeptVersion(EntryPath path);

    /**
     * Makes the entry hold exactly {@code values} (all its keys), if its current version is
     * {@code cas} (0: the entry must not exist yet). A store may take several versions to get there
     * (Vault does for an entry larger than one request may carry); only the last carries
     * {@code changeSetId}.
     *
     * @return the new version
     * @throws CasMismatchException when another writer got there first
     */
    default int write(EntryPath path, Map<String, SecretValue> values, String changeSetId, int cas) {
        return write(path, values, changeSetId, cas, version -> {});
    }

    /**
     * As {@link #write(EntryPath, Map, String, int)}, telling {@code landsAs} the version the write
     * lands as if it succeeds, as soon as the store knows it and before the write is sent (a store
     * may read the entry first to know it): a caller may prepare what follows the write while it
     * is under way.
     */
    int write(EntryPath path, Map<String, SecretValue> values, String changeSetId, int cas, IntConsumer landsAs);

    /** Whether the store can serve reads and writes right now (unsealed, reachable). */
    StoreHealth health();
}
