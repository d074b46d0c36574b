package io.vaultgate.changeset;

import io.vaultgate.values.DraftEntries;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.VersionedEntry;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * A draft's staged values, in one KV entry of its own, {@code <project>/draft/<id>}
 * ({@link EntryPath#draft}): one field per staged {@code set}, named {@code <entry path>#<KEY>}
 * (an entry path never holds {@code #} and a key name never holds {@code /}, so the two parts
 * read back unambiguously). Each staging writes a new version with check-and-set, and the draft's
 * row records the version that holds its current revision: a release reads that version, never
 * a newer one a failed staging may have left. Through the ordinary value-store port, so dev mode
 * keeps drafts in its local store.
 */
@Singleton
class DraftValues {

    private final SecretValueStore store;
    private final DraftEntries entries;

    DraftValues(SecretValueStore store, DraftEntries entries) {
        this.store = store;
        this.entries = entries;
    }

    static String field(String entryPath, String key) {
        return entryPath + "#" + key;
    }

    /** The values at the recorded version; none when nothing was staged yet. */
    Map<String, SecretValue> read(String project, String draftId, int version) {
        if (version == 0) {
            return Map.of();
        }
        return store.read(EntryPath.draft(project, draftId), version)
                .map(VersionedEntry::values)
                .orElseThrow(() -> new IllegalStateException("the staged values of change-set draft " + draftId
                        + " (version " + version + " of its entry) are no longer in the value store"));
    }

    /**
     * Writes the draft's values as a new version, with check-and-set on the entry's current
     * version (a failed staging may have left one newer than the recorded version).
     *
     * @return the new version
     */
    int write(String project, String draftId, Map<String, SecretValue> fields) {
        EntryPath path = EntryPath.draft(project, draftId);
        return store.write(path, fields, null, store.currentVersion(path));
    }

    void delete(String project, String draftId) {
        entries.deleteDraft(EntryPath.draft(project, draftId));
    }
}
