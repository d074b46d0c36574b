package io.vaultgate.changeset;

import io.vaultgate.database.Transactions;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the Vault entry of a released, rejected or discarded draft, so no staged value outlives
 * it. The row says whether it is still owed: when Vault cannot delete it now, {@link ReleaseJob}
 * tries again.
 */
@Singleton
class DraftEntryCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(DraftEntryCleanup.class);

    private final DraftValues values;
    private final DraftRows rows;
    private final Transactions transactions;

    DraftEntryCleanup(DraftValues values, DraftRows rows, Transactions transactions) {
        this.values = values;
        this.rows = rows;
        this.transactions = transactions;
    }

    void delete(String projectSlug, String draftId) {
        try {
            values.delete(projectSlug, draftId);
            transactions.executeWrite(status -> {
                rows.entryDeleted(draftId);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not delete the Vault entry of change-set draft {} yet ({}); the release job tries again.",
                    draftId,
                    e.getClass().getSimpleName());
        }
    }
}
