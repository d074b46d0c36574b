package io.vaultgate.values;

/**
 * Removing a change-set draft's entry once it is released, rejected or discarded: every version
 * and the metadata, so its staged values do not outlive the draft. Only a draft's entry
 * ({@link EntryPath#isDraft()}) can be removed; a scope's entry never is, and the gateway's Vault
 * policy grants the delete on draft paths alone.
 */
public interface DraftEntries {

    /** Removes the draft's entry with all its versions; nothing to do when it does not exist. */
    void deleteDraft(EntryPath draft);
}
