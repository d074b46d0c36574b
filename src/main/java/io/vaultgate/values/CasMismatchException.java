package io.vaultgate.values;

/** A check-and-set write lost against another writer: the entry is no longer at the expected version. */
public class CasMismatchException extends ValueStoreException {

    public CasMismatchException(EntryPath path, int expectedVersion) {
        super("entry " + path + " is no longer at version " + expectedVersion);
    }
}
