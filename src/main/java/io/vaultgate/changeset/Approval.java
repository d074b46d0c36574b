package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** One approval of a draft, at the revision it approved: it counts only while that is the draft's revision. */
record Approval(int revision, String accessor, @Nullable String displayName, Instant approvedAt) {

    /** Who approved, as one person: two tokens under one display name are one approver. */
    String approver() {
        return displayName != null ? "name:" + displayName : "accessor:" + accessor;
    }
}
