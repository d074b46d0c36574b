package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.audit.Outcome;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.restart.Dispatcher;
import io.vaultgate.restart.NewEvent;
import io.vaultgate.scope.Scope;
import io.vaultgate.values.CasMismatchException;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.ValueStoreUnavailableException;
import io.vaultgate.values.VersionedEntry;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The write protocol across the two stores. (1) record the intent in MySQL and take the scope's
 * pending marker; (2) write the whole scope entry to the value store with check-and-set,
 * tagged with the change-set id; (3) in one MySQL transaction, make metadata, audit and the
 * restart outbox follow. A failure after (1) leaves a pending change-set that
 * {@link Reconciler} settles: forward if the value store holds the tagged version, otherwise
 * aborted. So no acknowledged write is lost, no restart it owes is lost, and no half-write
 * becomes visible in the metadata.
 */
@Singleton
class SecretWriter {

    private static final int CAS_ATTEMPTS = 3;

    private final Catalog catalog;
    private final ChangeLedger ledger;
    private final SecretValueStore store;
    private final SecretRules rules;
    private final ChangeSetCompletion completion;
    private final Dispatcher dispatcher;
    private final Reconciler reconciler;
    private final ReconcilerProperties timing;
    private final Clock clock;

    SecretWriter(
            Catalog catalog,
            ChangeLedger ledger,
            SecretValueStore store,
            SecretRules rules,
            ChangeSetCompletion completion,
            Dispatcher dispatcher,
            Reconciler reconciler,
            ReconcilerProperties timing,
            Clock clock) {
        this.catalog = catalog;
        this.ledger = ledger;
        this.store = store;
        this.rules = rules;
        this.completion = completion;
        this.dispatcher = dispatcher;
        this.reconciler = reconciler;
        this.timing = timing;
        this.clock = clock;
    }

    /**
     * A change-set's answer: its id (null for a dry run), what it did (or would do) to each key,
     * the restarts it owes (null when replayed: they were answered the first time), and whether
     * this answer is a replay.
     */
    record Applied(
            String changeSetId,
            List<ChangeLedger.KeyResult> keys,
            List<NewEvent> restarts,
            boolean replayed,
            boolean dryRun) {}

    Applied apply(ChangeRequest request) {
        Project project = catalog.requireScope(request.scope());
        if (request.dryRun()) {
            return preview(project, request);
        }
        String idempotencyHash = idempotencyHash(request);
        if (idempotencyHash != null) {
            Optional<ChangeSet> earlier = ledger.byIdempotencyHash(idempotencyHash);
            if (earlier.isPresent()) {
                return replay(earlier.get(), request);
            }
        }
        ChangeLedger.Intent intent;
        try {
            intent = beginWhenScopeIsFree(project, request, idempotencyHash);
        } catch (ChangeLedger.DuplicateIdempotencyKey concurrentRetry) {
            return replay(ledger.byIdempotencyHash(idempotencyHash).orElseThrow(), request);
        } catch (ApiException refused) {
            ledger.recordRefused(project, request, refused.errorCode());
            throw refused;
        }
        Written written = writeValues(project, intent, request);
        ChangeLedger.Committed committed;
        try {
            committed = completion
                    .awaitCommitMadeWhileWriting(intent.changeSet().id(), written.commit())
                    .orElseGet(() -> completion.complete(
                            project,
                            intent.changeSet(),
                            intent.keys(),
                            written.change(),
                            Outcome.SUCCEEDED,
                            written.restarts()));
        } catch (ChangeLedger.IntentTakenOver takenOver) {
            // Settled by another (taken over as stale) while this writer was in flight: what it wrote
            // to the value store is not acknowledged, and the next write rebuilds from what is.
            throw new ApiException(
                    ErrorCode.SCOPE_BUSY,
                    "This write to " + request.scope() + " took too long and was "
                            + "given up by the gateway; nothing was acknowledged. Retry.");
        } catch (RuntimeException commitFailed) {
            // The value store has the write, MySQL refused to record it: give the intent up to whoever
            // settles it first (best effort: MySQL may be the part that is down).
            abandon(intent.changeSet().id());
            throw commitFailed;
        }
        if (!committed.events().isEmpty()) {
            dispatcher.wakeUp();
        }
        return new Applied(intent.changeSet().id(), committed.keys(), committed.events(), false, false);
    }

    /**
     * What the change would do, checked like the real one, computed from the acknowledged values.
     * Audited like a write, refused or not: an {@code unchanged} answer tells that a guessed value
     * is the stored one.
     */
    private Applied preview(Project project, ChangeRequest request) {
        Map<String, Operation> operations;
        ValueChange change;
        try {
            operations = ledger.preview(request.scope(), request.changes());
            change = acknowledgedChange(request.scope(), request.changes());
            rules.requireScopeSize(request.scope().apiPath(), change.after());
        } catch (ApiException refused) {
            ledger.recordRefused(project, request, refused.errorCode());
            throw refused;
        }
        Set<String> unchanged = change.unchanged();
        Instant now = clock.instant();
        List<ChangeLedger.KeyResult> keys = operations.entrySet().stream()
                .map(e -> new ChangeLedger.KeyResult(
                        e.getKey(),
                        unchanged.contains(e.getKey()) && e.getValue() == Operation.UPDATE
                                ? Operation.UNCHANGED
                                : e.getValue(),
                        0,
                        now))
                .toList();
        List<NewEvent> restarts = completion.restarts(
                project, change, null, request.restart(), request.actor().accessor());
        ledger.recordDryRun(
                project,
                request,
                keys.stream()
                        .filter(k -> k.operation() == Operation.UNCHANGED)
                        .map(ChangeLedger.KeyResult::key)
                        .toList());
        return new Applied(null, keys, restarts, false, true);
    }

    /**
     * The keys {@code changes} would set to the value they hold now (acknowledged), which a dry run
     * would answer {@code unchanged}.
     */
    List<String> unchangedKeys(Scope scope, List<ChangeRequest.KeyChange> changes) {
        Set<String> unchanged = acknowledgedChange(scope, changes).unchanged();
        return changes.stream()
                .map(ChangeRequest.KeyChange::key)
                .filter(unchanged::contains)
                .toList();
    }

    /** What {@code changes} would do to the scope's acknowledged values (a dry run's view). */
    private ValueChange acknowledgedChange(Scope scope, List<ChangeRequest.KeyChange> changes) {
        EntryPath path = EntryPath.of(scope);
        int acknowledged = ledger.acknowledgedVersion(scope);
        return changeOf(scope, changes, acknowledgedValues(path, acknowledged, store.read(path)), acknowledged);
    }

    private ChangeLedger.Intent beginWhenScopeIsFree(Project project, ChangeRequest request, String idempotencyHash) {
        Instant giveUpAt = clock.instant().plus(timing.lockWait());
        while (true) {
            ChangeLedger.Begin begin = ledger.begin(project, request, idempotencyHash);
            if (begin instanceof ChangeLedger.Begun begun) {
                return begun.intent();
            }
            ChangeLedger.Busy busy = (ChangeLedger.Busy) begin;
            if (busy.abandoned() || busy.stale()) {
                // Abandoned: its writer gave up, so no one is in flight for it; settle it now.
                reconciler.settle(busy.changeSetId());
            } else if (clock.instant().isAfter(giveUpAt)) {
                throw new ApiException(
                        ErrorCode.SCOPE_BUSY,
                        "Another write to " + request.scope()
                                + " has been in progress for too long; retry in a moment.");
            } else {
                pause();
            }
        }
    }

    /**
     * What a write left in the value store, its restart events if they were worked out meanwhile
     * (null when it wrote nothing), and its commit if one was made meanwhile (null when it wrote
     * nothing, or no commit thread took it).
     */
    private record Written(
            ValueChange change,
            @Nullable CompletableFuture<ChangeLedger.WorkedOut> restarts,
            @Nullable CompletableFuture<ChangeLedger.Committed> commit) {}

    /**
     * Builds the new entry from the version MySQL acknowledged (not from a newer version an
     * unacknowledged write may have left) and writes it with check-and-set on the entry's
     * actual current version, its restart events worked out and its metadata committed
     * meanwhile: the store tells the version the write lands as before it sends it, the rows are
     * written for that version while it writes, and committed only if it landed so. A change that
     * changes no value writes nothing.
     */
    private Written writeValues(Project project, ChangeLedger.Intent intent, ChangeRequest request) {
        EntryPath path = EntryPath.of(request.scope());
        int acknowledged = intent.changeSet().baseVaultVersion();
        CompletableFuture<ChangeLedger.WorkedOut> restarts = null;
        for (int attempt = 1; ; attempt++) {
            boolean writing = false;
            try {
                Optional<VersionedEntry> latest = store.read(path);
                int current = latest.map(VersionedEntry::version).orElse(0);
                ValueChange change = changeOf(
                        request.scope(),
                        request.changes(),
                        acknowledgedValues(path, acknowledged, latest),
                        acknowledged);
                rules.requireScopeSize(request.scope().apiPath(), change.after());
                if (change.changesNothing() && current == acknowledged) {
                    return new Written(change, null, null);
                }
                if (restarts == null) {
                    // Once: a retry builds the same values again, from the same acknowledged version.
                    restarts = completion.workOutWhileWriting(project, intent.changeSet(), change);
                }
                writing = true;
                CompletableFuture<Integer> landsAs = new CompletableFuture<>();
                CompletableFuture<Integer> landed = new CompletableFuture<>();
                CompletableFuture<ChangeLedger.Committed> commit = completion.commitWhileWriting(
                        intent.changeSet(), intent.keys(), change, restarts, landsAs, landed);
                int written;
                try {
                    written =
                            store.write(path, change.after(), intent.changeSet().id(), current, landsAs::complete);
                } catch (RuntimeException | Error failed) {
                    landsAs.completeExceptionally(failed);
                    landed.completeExceptionally(failed);
                    awaitRolledBack(commit);
                    throw failed;
                }
                landsAs.complete(written);
                landed.complete(written);
                return new Written(change.landingAs(written), restarts, commit);
            } catch (CasMismatchException lostRace) {
                if (!ledger.stillHolds(intent)) {
                    // Taken over while this write was in flight (a step write that outlived
                    // stale-after): writing again would write over the new holder's steps.
                    throw new ApiException(
                            ErrorCode.SCOPE_BUSY,
                            "This write to " + request.scope() + " took too long "
                                    + "and was given up by the gateway; nothing was acknowledged. Retry.");
                }
                if (attempt == CAS_ATTEMPTS) {
                    reconciler.settleAfterFailure(intent.changeSet().id(), request.scope());
                    throw new ApiException(
                            ErrorCode.SCOPE_BUSY,
                            "The value store entry of " + request.scope()
                                    + " kept changing under this write; nothing was written. Retry.");
                }
            } catch (ApiException refused) {
                ledger.abort(intent.changeSet().id(), Outcome.REFUSED, refused.errorCode(), request.scope());
                throw refused;
            } catch (ValueStoreException failed) {
                if (!writing || failed.changedNothing()) {
                    // The write was never sent, or the store refused it: nothing can have landed, so
                    // the scope is freed now rather than after stale-after.
                    ledger.abort(
                            intent.changeSet().id(),
                            Outcome.ABORTED,
                            (failed instanceof ValueStoreUnavailableException
                                    ? ErrorCode.VALUE_STORE_UNAVAILABLE
                                    : ErrorCode.VALUE_STORE_FAILED),
                            request.scope());
                } else {
                    // It may have landed: settled as soon as the store answers, by whoever can first.
                    abandon(intent.changeSet().id());
                    reconciler.settleAfterFailure(intent.changeSet().id(), request.scope());
                }
                throw failed;
            }
        }
    }

    /**
     * The commit made while a failed write was under way rolls back as its wait fails; waited for,
     * so whatever settles the change-set next finds no transaction of it still open.
     */
    private static void awaitRolledBack(@Nullable CompletableFuture<ChangeLedger.Committed> commit) {
        if (commit != null) {
            commit.handle((committed, rolledBack) -> null).join();
        }
    }

    private void abandon(String changeSetId) {
        try {
            ledger.markAbandoned(changeSetId);
        } catch (RuntimeException metadataDown) {
            // Left for the reconciler's stale pass.
        }
    }

    /** The request applied to the values at version {@code base}, before anything is written. */
    private static ValueChange changeOf(
            Scope scope, List<ChangeRequest.KeyChange> changes, Map<String, SecretValue> before, int base) {
        Map<String, SecretValue> after = new HashMap<>(before);
        for (ChangeRequest.KeyChange change : changes) {
            if (change.delete()) {
                after.remove(change.key());
            } else {
                after.put(change.key(), change.value());
            }
        }
        return new ValueChange(scope, touchedKeys(changes), before, after, base);
    }

    private Map<String, SecretValue> acknowledgedValues(
            EntryPath path, int acknowledged, Optional<VersionedEntry> latest) {
        if (acknowledged == 0) {
            return Map.of();
        }
        if (latest.isPresent() && latest.get().version() == acknowledged) {
            return latest.get().values();
        }
        return store.read(path, acknowledged)
                .map(VersionedEntry::values)
                .orElseThrow(() -> new ValueStoreException(
                        "acknowledged version " + acknowledged + " of entry " + path + " is no longer readable"));
    }

    private static Set<String> touchedKeys(List<ChangeRequest.KeyChange> changes) {
        return changes.stream().map(ChangeRequest.KeyChange::key).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Answers the first result of an idempotency key. Not audited again: the first request was,
     * and a replay discloses nothing new, since it answers that result whatever value it carries.
     */
    private Applied replay(ChangeSet earlier, ChangeRequest request) {
        if (!request.idempotencyPath().equals(earlier.idempotencyPath())) {
            throw new ApiException(
                    ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was first used for " + earlier.idempotencyPath()
                            + "; use a new key for a different request.",
                    "Idempotency-Key");
        }
        ChangeSet settled = awaitSettled(earlier);
        if (settled.committed()) {
            return new Applied(settled.id(), ledger.resultsOf(settled.id()), null, true, false);
        }
        if (settled.pending()) {
            throw new ApiException(
                    ErrorCode.SCOPE_BUSY,
                    "The first request with this Idempotency-Key is still being applied; retry in a moment.");
        }
        return apply(request);
    }

    private ChangeSet awaitSettled(ChangeSet changeSet) {
        Instant giveUpAt = clock.instant().plus(timing.lockWait());
        ChangeSet current = changeSet;
        while (current.pending() && clock.instant().isBefore(giveUpAt)) {
            pause();
            current = ledger.changeSet(current.id()).orElseThrow();
        }
        if (current.pending() && ledger.isStale(current)) {
            reconciler.settle(current.id());
            current = ledger.changeSet(current.id()).orElseThrow();
        }
        return current;
    }

    /**
     * Keyed by caller and key: two callers may pick the same key without colliding. Hashed so
     * the column has a fixed width; the key is the caller's nonce, not a secret.
     */
    private static String idempotencyHash(ChangeRequest request) {
        if (request.idempotencyKey() == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((request.actor().accessor() + "\n" + request.idempotencyKey())
                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.SCOPE_BUSY, "Interrupted while waiting for another write; retry.");
        }
    }
}
