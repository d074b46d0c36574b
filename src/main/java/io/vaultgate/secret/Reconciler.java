package io.vaultgate.secret;

import io.micronaut.scheduling.annotation.Scheduled;
import io.vaultgate.audit.Outcome;
import io.vaultgate.project.Catalog;
import io.vaultgate.scope.Scope;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.VersionedEntry;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles change-sets left pending by a failure between the two stores. Vault is the truth for
 * values: if the entry's latest version carries the change-set's id, the write happened and the
 * metadata is rolled forward; otherwise the write never landed and the intent is aborted.
 * Settling is idempotent, so any replica may run it.
 */
@Singleton
public class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final ChangeLedger ledger;
    private final SecretValueStore store;
    private final ChangeSetCompletion completion;
    private final Catalog catalog;
    private final ReleaseLedger releases;
    private final ReleaseCompletion releaseCompletion;

    Reconciler(
            ChangeLedger ledger,
            SecretValueStore store,
            ChangeSetCompletion completion,
            Catalog catalog,
            ReleaseLedger releases,
            ReleaseCompletion releaseCompletion) {
        this.ledger = ledger;
        this.store = store;
        this.completion = completion;
        this.catalog = catalog;
        this.releases = releases;
        this.releaseCompletion = releaseCompletion;
    }

    /**
     * Settles every change-set its writer gave up on, and every one pending for longer than the
     * configured grace; returns how many.
     */
    @Scheduled(fixedDelay = "${vaultgate.reconciler.interval}", initialDelay = "${vaultgate.reconciler.interval}")
    public int settleStale() {
        Set<String> due = new LinkedHashSet<>(ledger.abandonedIntents());
        ledger.stalePending().forEach(c -> due.add(c.id()));
        int settled = 0;
        for (String changeSetId : due) {
            try {
                settle(changeSetId);
                settled++;
            } catch (RuntimeException e) {
                LOG.warn("could not settle change-set {} yet: {}", changeSetId, e.toString());
            }
        }
        return settled;
    }

    /** Settles one change-set now, whatever its age. */
    public void settle(String changeSetId) {
        Optional<ChangeSet> found = ledger.changeSet(changeSetId);
        if (found.isEmpty() || !found.get().pending()) {
            return;
        }
        ChangeSet changeSet = found.get();
        if (releases.isRelease(changeSetId)) {
            settleRelease(changeSet);
            return;
        }
        ScopeEntry entry = ledger.scopeEntry(changeSet.scopeEntryId()).orElseThrow();
        Scope scope = new EntryPath(entry.entryPath()).scope();
        Optional<VersionedEntry> latest = store.read(new EntryPath(entry.entryPath()));
        if (latest.isPresent() && changeSetId.equals(latest.get().changeSetId())) {
            LOG.info(
                    "change-set {} reached the value store as version {}; completing its metadata",
                    changeSetId,
                    latest.get().version());
            rollForward(changeSet, scope, latest.get());
        } else {
            LOG.info("change-set {} never reached the value store; aborting it", changeSetId);
            ledger.abort(changeSetId, Outcome.ABORTED, null, scope);
        }
    }

    /**
     * Completes a change-set Vault has: the values before are the acknowledged version, the
     * values after are Vault's, so the restart events it owes are the same the writer would
     * have recorded.
     */
    private void rollForward(ChangeSet changeSet, Scope scope, VersionedEntry written) {
        EntryPath path = EntryPath.of(scope);
        Map<String, SecretValue> before = changeSet.baseVaultVersion() == 0
                ? Map.of()
                : store.read(path, changeSet.baseVaultVersion())
                        .map(VersionedEntry::values)
                        .orElse(Map.of());
        // Its writer is gone, and its keys with it: read back from the intent's rows.
        List<ChangeSetKey> keys = ledger.keysOf(changeSet.id());
        Set<String> touched =
                keys.stream().map(ChangeSetKey::keyName).collect(Collectors.toCollection(LinkedHashSet::new));
        ValueChange change = new ValueChange(scope, touched, before, written.values(), written.version());
        try {
            completion.complete(
                    catalog.requireProject(scope.project()), changeSet, keys, change, Outcome.COMPLETED_BY_RECONCILER);
        } catch (ChangeLedger.IntentTakenOver settledByAnother) {
            LOG.info("change-set {} was settled by another meanwhile; leaving it as it is", changeSet.id());
        }
    }

    /**
     * A release is settled whole: rolled forward only if every one of its scopes' latest version
     * carries its id (then the restart events are the ones its writer would have recorded),
     * otherwise aborted at every scope. A version that landed at some scopes stays
     * unacknowledged, which no reader serves and the next writer of the scope builds past.
     */
    private void settleRelease(ChangeSet changeSet) {
        Map<Long, ValueChange> changes = new HashMap<>();
        for (ReleaseLedger.ReleaseScope scope : releases.scopesOf(changeSet.id())) {
            EntryPath path = EntryPath.of(scope.scope());
            Optional<VersionedEntry> latest = store.read(path);
            if (latest.isEmpty() || !changeSet.id().equals(latest.get().changeSetId())) {
                LOG.info("release {} did not reach the value store at {}; aborting it whole", changeSet.id(), path);
                releases.abort(changeSet.id(), Outcome.ABORTED, null);
                return;
            }
            Map<String, SecretValue> before = scope.base() == 0
                    ? Map.of()
                    : store.read(path, scope.base()).map(VersionedEntry::values).orElse(Map.of());
            changes.put(
                    scope.scopeEntryId(),
                    new ValueChange(
                            scope.scope(),
                            scope.touched(),
                            before,
                            latest.get().values(),
                            latest.get().version()));
        }
        LOG.info("release {} reached the value store at every scope; completing its metadata", changeSet.id());
        try {
            releaseCompletion.complete(
                    catalog.requireProjectById(changeSet.projectId()),
                    changeSet,
                    changes,
                    Outcome.COMPLETED_BY_RECONCILER);
        } catch (ChangeLedger.IntentTakenOver settledByAnother) {
            LOG.info("release {} was settled by another meanwhile; leaving it as it is", changeSet.id());
        }
    }

    /**
     * After a failed value-store call the write may or may not have landed. Settle now if the
     * store answers; if it does not, leave the intent for the scheduled pass.
     */
    void settleAfterFailure(String changeSetId, Scope scope) {
        try {
            settle(changeSetId);
        } catch (ValueStoreException stillDown) {
            LOG.warn(
                    "change-set {} on {} left pending until the value store answers: {}",
                    changeSetId,
                    scope,
                    stillDown.getMessage());
        }
    }
}
