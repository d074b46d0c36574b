package io.vaultgate.values;

import java.util.LinkedHashMap;
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

    /**
     * The plaintext fields of a new version, checked as every store checks a write: {@code cas} is 0
     * (the entry must not exist) or the current version, and no key takes the reserved field's name
     * (naming rules live elsewhere). The order of {@code values} is kept.
     */
    public static Map<String, String> forWrite(Map<String, SecretValue> values, int cas) {
        if (cas < 0) {
            throw new IllegalArgumentException(
                    "cas must be 0 (entry must not exist) or the current version, got " + cas);
        }
        if (values.containsKey(CHANGE_SET)) {
            throw new IllegalArgumentException("'" + CHANGE_SET + "' is reserved and cannot be a secret key");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        values.forEach((key, value) -> fields.put(key, value.plaintext()));
        return fields;
    }
}
