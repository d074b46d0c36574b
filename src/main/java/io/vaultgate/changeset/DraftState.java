package io.vaultgate.changeset;

import io.vaultgate.web.WireNames;
import java.util.Set;

/**
 * Where a draft stands: {@code draft} → ({@code scheduled}) → {@code releasing} → {@code released};
 * or {@code rejected}, or {@code discarded}. A release that fails or is aborted returns it to
 * {@code draft}. "Approved" is not a state: approvals count at the draft's current revision.
 */
enum DraftState {
    DRAFT,
    SCHEDULED,
    RELEASING,
    RELEASED,
    REJECTED,
    DISCARDED;

    /** What the listing shows by default: drafts that can still change or are changing. */
    static final Set<DraftState> OPEN = Set.of(DRAFT, SCHEDULED, RELEASING);

    String wireName() {
        return WireNames.of(this);
    }

    static DraftState stored(String wireName) {
        return WireNames.parse(DraftState.class, wireName)
                .orElseThrow(() -> new IllegalStateException("unknown draft state " + wireName));
    }

    boolean terminal() {
        return this == RELEASED || this == REJECTED || this == DISCARDED;
    }
}
