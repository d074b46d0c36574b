package io.vaultgate.audit;

import io.vaultgate.web.WireNames;

/** How an audited operation ended; stored and shown as its {@link #wireName()}. */
public enum Outcome {
    SUCCEEDED,
    REFUSED,
    FAILED,
    ABORTED,
    COMPLETED_BY_RECONCILER,
    /** {@code ?dryRun=true} answered what would change; nothing was written. */
    DRY_RUN,
    /** {@code ?dryRun=true} refused like the write would be (stale version, missing key); nothing was written. */
    DRY_RUN_REFUSED;

    public String wireName() {
        return WireNames.of(this);
    }
}
