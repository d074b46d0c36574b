package io.vaultgate.values;

import java.util.Map;

/**
 * Field names an entry carries besides its secret keys. Both stores keep the change-set id inside
 * the entry itself, so the version and the write that produced it can never be separated.
 */
public final class EntryFields {

    /**
     * Holds the change-set id. A KEY matches {@code ^[A-Z_][A-Z0-9_]*$}, so a name with lower-case
     * letters and a colon can never clash with a secret.
     */
    public static final String CHANGE_SET = "vaultgate:change-set";

    private EntryFields() {}

    /** Refuses a key that would overwrite the reserved field; naming rules live elsewhere. */
    public static void requireNoReservedKey(Map<String, SecretValue> values) {
        if (values.containsKey(CHANGE_SET)) {
            throw new IllegalArgumentException("'" + CHANGE_SET + "' is reserved and cannot be a secret key");
        }
    }
}
