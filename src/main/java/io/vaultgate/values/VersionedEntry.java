package io.vaultgate.values;

import java.util.Map;

/**
 * One version of a scope entry: its keys and values, and the change-set that wrote it
 * (recorded inside the entry so the reconciler can tell whose write a version is).
 */
public record VersionedEntry(int version, Map<String, SecretValue> values, String changeSetId) {

    public VersionedEntry {
        values = Map.copyOf(values);
    }
}
