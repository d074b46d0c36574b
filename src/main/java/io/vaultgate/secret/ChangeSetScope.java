package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * One scope entry a multi-scope change-set writes: the acknowledged version it builds from and,
 * once committed, the version it wrote there.
 */
@MappedEntity("change_set_scope")
record ChangeSetScope(
        @Id @GeneratedValue @Nullable Long id,
        String changeSetId,
        Long scopeEntryId,
        int baseVaultVersion,
        @Nullable Integer newVaultVersion) {

    ChangeSetScope written(int version) {
        return new ChangeSetScope(id, changeSetId, scopeEntryId, baseVaultVersion, version);
    }
}
