package io.vaultgate.changeset;

import io.vaultgate.scope.Scope;
import io.vaultgate.values.EntryPath;
import java.time.Instant;

/**
 * One staged operation: a key at a scope, set or deleted, and the key's version when it was
 * staged. The value of a {@code set} is in the draft's Vault entry, never here. {@code forced}: a
 * delete staged with {@code ?force=true}, whose requirement check is skipped at release too.
 */
record DraftOperation(
        String entryPath,
        String key,
        boolean delete,
        boolean forced,
        int reviewedVersion,
        int stagedRevision,
        Instant stagedAt) {

    Scope scope() {
        return new EntryPath(entryPath).scope();
    }

    String operation() {
        return delete ? "delete" : "set";
    }

    /** The field of the draft's Vault entry that holds this operation's value. */
    String field() {
        return DraftValues.field(entryPath, key);
    }
}
