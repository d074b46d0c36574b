package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

/**
 * A key a change-set touches and what it does to it (create, update or delete); {@code
 * scopeEntryId} names the entry for a change-set that writes several, null for one that writes its own.
 */
@MappedEntity("change_set_key")
record ChangeSetKey(
        @Id @GeneratedValue @Nullable Long id,
        String changeSetId,
        String keyName,
        @MappedProperty(converter = Operation.Column.class) Operation operation,
        @Nullable Long scopeEntryId) {

    ChangeSetKey unchanged() {
        return new ChangeSetKey(id, changeSetId, keyName, Operation.UNCHANGED, scopeEntryId);
    }
}
