package io.vaultgate.secret;

import io.vaultgate.database.EnumColumn;
import jakarta.inject.Singleton;

/**
 * Where a change-set stands in the write protocol: {@code pending} from its intent until it is
 * settled, then {@code committed} (the value store has it and the metadata follows) or
 * {@code aborted} (not acknowledged: the value store never took it, or the write was taken over
 * and its scope moved on without it).
 */
enum ChangeSetStatus {
    PENDING,
    COMMITTED,
    ABORTED;

    @Singleton
    static final class Column extends EnumColumn<ChangeSetStatus> {
        Column() {
            super(ChangeSetStatus.class);
        }
    }
}
