package io.vaultgate.secret;

import io.vaultgate.database.EnumColumn;
import io.vaultgate.web.WireNames;
import jakarta.inject.Singleton;

/** What a change-set does to one key, decided under the scope's lock from the key's state. */
enum Operation {
    CREATE,
    UPDATE,
    DELETE,
    /** A set to the value the key already has: no new version, no restart. */
    UNCHANGED;

    /** {@code create}: what a write answers and {@code change_set_key.operation} stores. */
    String wireName() {
        return WireNames.of(this);
    }

    @Singleton
    static final class Column extends EnumColumn<Operation> {
        Column() {
            super(Operation.class);
        }
    }
}
