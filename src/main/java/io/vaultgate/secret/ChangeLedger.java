package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionCallback;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.audit.Outcome;
import io.vaultgate.database.DatabaseClock;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Project;
import io.vaultgate.restart.NewEvent;
import io.vaultgate.restart.RestartOutbox;
import io.vaultgate.scope.Scope;
import io.vaultgate.values.EntryPath;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.RestartMode;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MySQL half of the write protocol, in short transactions that never call Vault:
 * {@link #begin} records the intent and takes the scope's pending marker, {@link #commit}
 * makes the metadata follow a Vault write, {@link #abort} gives up an intent Vault never saw.
 * One, {@link #commitWhileWriting}, waits (boundedly) for the answer to a Vault write another
 * thread makes; run again after a deadlock, it waits for the same answer.
 */
@Singleton
class ChangeLedger {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeLedger.class);
    /** Bounded: under a storm of commits in one project, the last attempt commits without the check. */
    private static final int IMPACT_ATTEMPTS = 20;

    private final Repositories.ScopeEntries scopeEntries;
    private final Repositories.Secrets secrets;
    private final Repositories.SecretVersions versions;
    private final Repositories.ChangeSets changeSets;
    private final Repositories.ChangeSetKeys changeSetKeys;
    private final AuditLog audit;
    private final RestartOutbox outbox;
    private final Transactions transactions;
    private final Clock clock;
    private final DatabaseClock databaseClock;
    private final ReconcilerProperties timing;
    private final ProjectWriteSequence sequence;

    ChangeLedger(
            Repositories.ScopeEntries scopeEntries,
            Repositories.Secrets secrets,
            Repositories.SecretVersions versions,
            Repositories.ChangeSets changeSets,
            Repositories.ChangeSetKeys changeSetKeys,
            AuditLog audit,
            RestartOutbox outbox,
            Transactions transactions,
            Clock clock,
            DatabaseClock databaseClock,
            ReconcilerProperties timing,
            ProjectWriteSequence sequence) {
        this.scopeEntries = scopeEntries;
        this.secrets = secrets;
        this.versions = versions;
        this.changeSets = changeSets;
        this.changeSetKeys = changeSetKeys;
        this.audit = audit;
        this.outbox = outbox;
        this.transactions = transactions;
        this.clock = clock;
        this.databaseClock = databaseClock;
        this.timing = timing;
        this.sequence = sequence;
    }

    /** An intent recorded in MySQL: the change-set, its scope entry, and what it does to each key. */
    record Intent(ChangeSet changeSet, ScopeEntry entry, Map<String, Operation> operations) {

        /** The change-set's {@code change_set_key} rows as {@link #begin} inserted them (their ids unread). */
        List<ChangeSetKey> keys() {
            return keysOf(changeSet.id(), operations);
        }

        private static List<ChangeSetKey> keysOf(String changeSetId, Map<String, Operation> operations) {
            List<ChangeSetKey> keys = new ArrayList<>(operations.size());
            operations.forEach((key, operation) -> keys.add(new ChangeSetKey(null, changeSetId, key, operation, null)));
            return keys;
        }
    }

    /** What {@link #begin} found: the intent it recorded, or the change-set already writing the scope. */
    sealed interface Begin permits Begun, Busy {}

    record Begun(Intent intent) implements Begin {}

    /**
     * @param stale     pending for longer than stale-after by the database's clock: its writer is
     *                  presumed gone, settle it
     * @param abandoned its writer gave up: no one is in flight for it, settle it now
     */
    record Busy(String changeSetId, boolean stale, boolean abandoned) implements Begin {}

    /**
     * The change-set was settled by someone else (aborted, its scope taken over) while its writer
     * was still in flight: the writer's value store write is not acknowledged.
     */
    static final class IntentTakenOver extends RuntimeException {
        IntentTakenOver() {
            super("the change-set was settled by another before its writer committed", null, false, false);
        }
    }

    /** Another commit in the project landed after the restart events were worked out (rolled back). */
    static final class ImpactOutdated extends RuntimeException {
        ImpactOutdated() {
            super("another commit in the project landed after this one's restarts were worked out", null, false, false);
        }
    }

    /**
     * A commit made while its write was under way gave up and rolled back: the write failed,
     * landed as another version than the rows were written for, or took longer than the commit
     * may wait, or its restart events could not be worked out meanwhile. No cause is kept, so
     * {@link Transactions} never takes it for a deadlock and runs the commit again.
     */
    static final class NotCommittedWhileWriting extends RuntimeException {
        NotCommittedWhileWriting(String why) {
            super("not committed while the value store wrote: " + why, null, false, false);
        }
    }

    /** Another request holding the same idempotency key got there first. */
    static final class DuplicateIdempotencyKey extends RuntimeException {
        DuplicateIdempotencyKey() {
            super("idempotency key already in use", null, false, false);
        }
    }

    Begin begin(Project project, ChangeRequest request, String idempotencyHash) {
        Scope scope = request.scope();
        ensureScopeEntry(project, scope);
        try {
            return transactions.executeWrite(status -> {
                ScopeEntry entry = scopeEntries
                        .findByEntryPathForUpdate(EntryPath.of(scope).path())
                        .orElseThrow();
                // Pending-since is written and compared on the database's clock: replicas' own
                // clocks may disagree by more than stale-after.
                Instant now = databaseClock.now();
                if (entry.pendingChangeSet() != null) {
                    boolean stale = entry.pendingSince() == null
                            || entry.pendingSince().isBefore(now.minus(timing.staleAfter()));
                    return new Busy(entry.pendingChangeSet(), stale, entry.pendingAbandoned());
                }
                Map<String, Operation> operations = operationsFor(entry, scope, request.changes());
                ChangeSet changeSet = changeSets.save(ChangeSet.pending(
                        UUID.randomUUID().toString(),
                        project.id(),
                        entry.id(),
                        request.action(),
                        entry.vaultVersion(),
                        request.actor(),
                        idempotencyHash,
                        idempotencyHash == null ? null : request.idempotencyPath(),
                        now,
                        request.restart()));
                KeyRows.insertChangeSetKeys(status.getConnection(), Intent.keysOf(changeSet.id(), operations));
                ScopeEntry pending = scopeEntries.update(entry.pending(changeSet.id(), now));
                return new Begun(new Intent(changeSet, pending, operations));
            });
        } catch (DataAccessException e) {
            if (idempotencyHash != null
                    && changeSets.findByIdempotencyHash(idempotencyHash).isPresent()) {
                throw new DuplicateIdempotencyKey();
            }
            throw e;
        }
    }

    /**
     * Records that the change-set's writer gave up after a value-store call that may have landed:
     * it is settled by whoever can first (the next writer of its scope, the reconciler), not after
     * stale-after.
     */
    void markAbandoned(String changeSetId) {
        changeSets
                .findById(changeSetId)
                .ifPresent(changeSet -> transactions.executeWrite(status -> {
                    scopeEntries.markAbandoned(changeSet.scopeEntryId(), changeSetId);
                    return null;
                }));
    }

    /** Whether the intent still holds its scope: nobody has settled or taken it over. */
    boolean stillHolds(Intent intent) {
        return scopeEntries
                .findById(intent.entry().id())
                .map(entry -> intent.changeSet().id().equals(entry.pendingChangeSet()))
                .orElse(false);
    }

    /** The change-sets whose writers gave up and that are still pending. */
    List<String> abandonedIntents() {
        return scopeEntries.findByPendingAbandonedTrue().stream()
                .map(ScopeEntry::pendingChangeSet)
                .toList();
    }

    /** What a committed change-set did to one key. */
    record KeyResult(String key, Operation operation, int version, Instant at) {}

    /** What a commit did to each key, and the restart events it recorded. */
    record Committed(List<KeyResult> keys, List<NewEvent> events) {}

    /**
     * Restart events worked out while the project's write sequence stood at {@code basis}: they
     * hold for a commit that finds it there still.
     */
    record WorkedOut(long basis, List<NewEvent> events) {

        /** What a change-set written with {@code ?restart=none} owes: nothing, so nothing to recheck. */
        static final WorkedOut NONE_OWED = new WorkedOut(-1, List.of());
    }

    /** Works out {@code impact} against the project's write sequence as it stands now. */
    WorkedOut workOut(long projectId, Supplier<List<NewEvent>> impact) {
        long basis = sequence.current(projectId);
        return new WorkedOut(basis, impact.get());
    }

    /**
     * Commits with the restart events worked out by {@code impact}, which runs outside the
     * transaction (it may read the value store). The events depend on keys of the project's
     * other scopes: if another commit in the project lands between working them out and this
     * commit, they are worked out again, so a restart is never decided on keys that have changed.
     *
     * @param keys the change-set's {@code change_set_key} rows: its writer's, as it inserted them,
     *             or read back by whoever settles it for a writer that is gone
     * @param ahead the events already worked out (while the value store wrote, say), or null
     */
    Committed commit(
            String changeSetId,
            List<ChangeSetKey> keys,
            int vaultVersion,
            Outcome outcome,
            Scope scope,
            Set<String> unchanged,
            Supplier<List<NewEvent>> impact,
            @Nullable WorkedOut ahead) {
        Long projectId = changeSets.findById(changeSetId).orElseThrow().projectId();
        // Outdated already (a commit made while writing rolled back on it, say): worked out again
        // before any row is written, not after.
        WorkedOut restarts = ahead != null && sequence.current(projectId) == ahead.basis() ? ahead : null;
        for (int attempt = 1; ; attempt++) {
            if (restarts == null) {
                restarts = workOut(projectId, impact);
            }
            WorkedOut worked = restarts;
            try {
                return commit(
                        changeSetId,
                        keys,
                        vaultVersion,
                        outcome,
                        scope,
                        unchanged,
                        () -> vaultVersion,
                        () -> worked,
                        attempt < IMPACT_ATTEMPTS,
                        false);
            } catch (ImpactOutdated outdated) {
                restarts = null;
                if (attempt == IMPACT_ATTEMPTS - 1) {
                    LOG.warn(
                            "change-set {}: its project kept committing while its restarts were worked out; "
                                    + "committing with the last answer",
                            changeSetId);
                }
            }
        }
    }

    /**
     * Commits a change-set while its value store write is still under way, once: its rows are
     * written for {@code plannedVersion} (the version the store said the write lands as), then
     * the transaction waits for {@code landed}, the version the write got, and for
     * {@code restarts}, until {@code deadline} at most (a stuck write would otherwise hold the
     * scope's rows, and a connection, for as long as it is stuck), and commits only if the write
     * landed as planned. Otherwise it rolls back and throws {@link NotCommittedWhileWriting};
     * {@link ImpactOutdated} and {@link IntentTakenOver} are thrown as they are, never retried
     * here: the writer then commits after its write, as it would have.
     *
     * @param restarts the events worked out while the store writes, on connections of their own
     * @param deadline by {@link System#nanoTime()}
     */
    Committed commitWhileWriting(
            String changeSetId,
            List<ChangeSetKey> keys,
            int plannedVersion,
            Outcome outcome,
            Scope scope,
            Set<String> unchanged,
            Future<WorkedOut> restarts,
            Future<Integer> landed,
            long deadline) {
        IntSupplier landedAsPlanned = () -> {
            int version = awaitUntil(landed, deadline, "the value store's write");
            if (version != plannedVersion) {
                throw new NotCommittedWhileWriting("the write landed as another version than planned");
            }
            return version;
        };
        return commit(
                changeSetId,
                keys,
                plannedVersion,
                outcome,
                scope,
                unchanged,
                landedAsPlanned,
                () -> awaitUntil(restarts, deadline, "its restart events"),
                true,
                true);
    }

    private static <T> T awaitUntil(Future<T> answer, long deadline, String what) {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException failed) {
            throw new NotCommittedWhileWriting(what + " failed");
        } catch (TimeoutException late) {
            throw new NotCommittedWhileWriting(what + " took longer than the commit may wait");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new NotCommittedWhileWriting("interrupted while waiting for " + what);
        }
    }

    /**
     * Makes the metadata follow a Vault write that landed as {@code vaultVersion}, and records
     * the restart events it owes, in one transaction. Keys whose value did not change keep
     * their version. Settled once: the change-set's state is read under its scope's lock, so of
     * several settlers (its writer, reconcilers of several replicas) one commits; a change-set
     * already committed is answered as it was, one aborted meanwhile throws {@link IntentTakenOver}.
     * {@code landed} answers the version the value store's write got and {@code restarts} the
     * events it owes, both asked once the rows are written and before the project's write
     * sequence is taken, so a commit waiting for them holds its scope's rows only. With
     * {@code checkBasis}, throws {@link ImpactOutdated} if another commit in the project came
     * after the events were worked out (never for {@code ?restart=none}, which owes none).
     * {@code waitsForTheStore}: {@code landed} may wait for the value store's write.
     */
    private Committed commit(
            String changeSetId,
            List<ChangeSetKey> keys,
            int vaultVersion,
            Outcome outcome,
            Scope scope,
            Set<String> unchanged,
            IntSupplier landed,
            Supplier<WorkedOut> restarts,
            boolean checkBasis,
            boolean waitsForTheStore) {
        long scopeEntryId = changeSets.findById(changeSetId).orElseThrow().scopeEntryId();
        TransactionCallback<Connection, Committed> work = status -> {
            // The scope's row first, then the change-set as it is under that lock: every settler of
            // a change-set locks the same row, so they settle it one after the other.
            ScopeEntry entry = scopeEntries.findByIdForUpdate(scopeEntryId).orElseThrow();
            ChangeSet changeSet = changeSets.findById(changeSetId).orElseThrow();
            if (changeSet.committed()) {
                return new Committed(resultsOf(changeSetId), restarts.get().events());
            }
            if (!changeSet.pending() || !changeSetId.equals(entry.pendingChangeSet())) {
                // Aborted, or its scope's marker is another writer's: never written over.
                throw new IntentTakenOver();
            }
            // Whole seconds, as the DATETIME columns keep it: the answer is built from these rows as
            // written, and a replay, which reads them back, must answer the same time.
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            ScopeRows rows = writeKeyRows(status.getConnection(), entry, keys, unchanged, vaultVersion, changeSet, now);
            landed.getAsInt();
            WorkedOut worked = restarts.get();
            long before = sequence.advance(changeSet.projectId());
            if (checkBasis && changeSet.restartMode() != RestartMode.NONE && before != worked.basis()) {
                throw new ImpactOutdated();
            }
            List<String> unchangedKeys = rows.unchanged();
            List<KeyResult> results = rows.results();
            scopeEntries.update(entry.settled(vaultVersion));
            changeSets.update(changeSet.committed(vaultVersion, now));
            if (changeSet.restartMode() == RestartMode.EVENTS) {
                outbox.record(changeSet.projectId(), worked.events());
            }
            audit.record(AuditEntry.of(changeSet.projectId(), changeSet.by(), changeSet.action(), scope.apiPath())
                    .keys(keys.stream().map(ChangeSetKey::keyName).toList())
                    .unchanged(unchangedKeys)
                    .changeSet(changeSetId)
                    .ended(outcome, null)
                    .restart(changeSet.restartMode()));
            // What was just written, not read back: resultsOf answers the same from the rows.
            return new Committed(results, worked.events());
        };
        // Waiting, it reads what is committed after the wait (the webhooks its events go to, say),
        // not what was before it.
        return waitsForTheStore ? transactions.executeWriteReadingCommitted(work) : transactions.executeWrite(work);
    }

    /** What a commit wrote at one scope: each key's result, and the keys whose value stayed. */
    record ScopeRows(List<KeyResult> results, List<String> unchanged) {}

    /**
     * Inside a commit's transaction, with {@code entry}'s row locked: makes the {@code secret} and
     * {@code secret_version} rows of one scope follow the value-store version {@code vaultVersion}.
     * Keys whose value did not change keep their version and are marked {@code unchanged}.
     */
    ScopeRows writeKeyRows(
            Connection connection,
            ScopeEntry entry,
            List<ChangeSetKey> keys,
            Set<String> unchanged,
            int vaultVersion,
            ChangeSet changeSet,
            Instant now) {
        // Writers of these rows are serialised by the scope's lock; the rows that exist are locked
        // by id against a last-accessed flush. Locking by key instead would take gap locks where
        // a row is missing, and two first writes would deadlock on their inserts.
        List<Long> existingIds =
                secrets
                        .findByScopeEntryIdAndKeyNameIn(
                                entry.id(),
                                keys.stream().map(ChangeSetKey::keyName).toList())
                        .stream()
                        .map(Secret::id)
                        .toList();
        Map<String, Secret> existing = (existingIds.isEmpty()
                        ? List.<Secret>of()
                        : secrets.findByIdInForUpdate(existingIds))
                .stream().collect(Collectors.toMap(Secret::keyName, Function.identity()));
        List<Secret> updated = new ArrayList<>();
        List<Secret> created = new ArrayList<>();
        List<ChangeSetKey> unchangedKeys = new ArrayList<>();
        List<KeyResult> results = new ArrayList<>(keys.size());
        for (ChangeSetKey key : keys) {
            Secret current = existing.get(key.keyName());
            if (unchanged.contains(key.keyName()) && current != null && !current.deleted()) {
                unchangedKeys.add(key.unchanged());
                results.add(new KeyResult(key.keyName(), Operation.UNCHANGED, current.version(), current.updatedAt()));
                continue;
            }
            boolean delete = key.operation() == Operation.DELETE;
            results.add(
                    new KeyResult(key.keyName(), key.operation(), current == null ? 1 : current.version() + 1, now));
            if (current == null) {
                created.add(new Secret(
                        null,
                        entry.id(),
                        key.keyName(),
                        1,
                        vaultVersion,
                        delete,
                        now,
                        changeSet.actor(),
                        now,
                        changeSet.actor(),
                        null));
            } else {
                updated.add(current.next(vaultVersion, delete, now, changeSet.actor()));
            }
        }
        KeyRows.markUnchanged(connection, changeSet.id(), unchangedKeys);
        KeyRows.updateSecrets(connection, updated);
        KeyRows.insertSecrets(connection, created);
        List<String> written = new ArrayList<>(KeyRows.keyNames(updated));
        written.addAll(KeyRows.keyNames(created));
        KeyRows.insertVersions(connection, entry.id(), written, changeSet.id(), changeSet.actor(), now);
        return new ScopeRows(
                results, unchangedKeys.stream().map(ChangeSetKey::keyName).toList());
    }

    /**
     * What a change would do to each key, checked like {@link #begin} but without locking or
     * writing anything: the dry run's answer.
     */
    Map<String, Operation> preview(Scope scope, List<ChangeRequest.KeyChange> changes) {
        Optional<ScopeEntry> entry =
                scopeEntries.findByEntryPath(EntryPath.of(scope).path());
        ScopeEntry probe =
                entry.orElse(ScopeEntry.empty(-1L, null, EntryPath.of(scope).path(), scope.kind()));
        return operationsFor(probe, scope, changes);
    }

    /** Each key's live version at a scope (0 when absent or deleted), as a write would compare it. */
    Map<String, Integer> liveVersions(Scope scope, Collection<String> keys) {
        Map<String, Integer> live = new LinkedHashMap<>();
        keys.forEach(key -> live.put(key, 0));
        if (keys.isEmpty()) {
            return live;
        }
        scopeEntries
                .findByEntryPath(EntryPath.of(scope).path())
                .ifPresent(entry -> secrets.findByScopeEntryIdAndKeyNameIn(entry.id(), List.copyOf(keys))
                        .forEach(secret -> live.put(secret.keyName(), secret.liveVersion())));
        return live;
    }

    /** The value-store version MySQL has acknowledged for a scope; 0 when it holds nothing yet. */
    int acknowledgedVersion(Scope scope) {
        return scopeEntries
                .findByEntryPath(EntryPath.of(scope).path())
                .map(ScopeEntry::vaultVersion)
                .orElse(0);
    }

    /** Gives up an intent whose Vault write did not happen, freeing the scope and the idempotency key. */
    void abort(String changeSetId, Outcome outcome, ErrorCode errorCode, Scope scope) {
        long scopeEntryId = changeSets.findById(changeSetId).orElseThrow().scopeEntryId();
        transactions.executeWrite(status -> {
            ScopeEntry entry = scopeEntries.findByIdForUpdate(scopeEntryId).orElseThrow();
            ChangeSet changeSet = changeSets.findById(changeSetId).orElseThrow();
            if (!changeSet.pending()) {
                return null;
            }
            changeSets.update(changeSet.aborted(clock.instant()));
            if (changeSetId.equals(entry.pendingChangeSet())) {
                scopeEntries.update(entry.settled(entry.vaultVersion()));
            }
            audit.record(AuditEntry.of(changeSet.projectId(), changeSet.by(), changeSet.action(), scope.apiPath())
                    .keys(changeSetKeys.findByChangeSetId(changeSetId).stream()
                            .map(ChangeSetKey::keyName)
                            .toList())
                    .changeSet(changeSetId)
                    .ended(outcome, errorCode)
                    .restart(changeSet.restartMode()));
            return null;
        });
    }

    /**
     * A well-formed write refused under the scope's lock (stale version, missing key), or a dry
     * run refused the same way: audited, nothing written.
     */
    void recordRefused(Project project, ChangeRequest request, ErrorCode code) {
        record(project, request, List.of(), request.dryRun() ? Outcome.DRY_RUN_REFUSED : Outcome.REFUSED, code);
    }

    /**
     * A dry run answered: audited like a write, naming the keys it answered {@code unchanged},
     * for a dry run is the cheapest way to test a guess of a value. Nothing else is written.
     */
    void recordDryRun(Project project, ChangeRequest request, Collection<String> unchanged) {
        record(project, request, unchanged, Outcome.DRY_RUN, null);
    }

    private void record(
            Project project,
            ChangeRequest request,
            Collection<String> unchanged,
            Outcome outcome,
            ErrorCode errorCode) {
        AuditEntry entry = AuditEntry.of(
                        project.id(),
                        request.actor(),
                        request.action(),
                        request.scope().apiPath())
                .keys(request.changes().stream()
                        .map(ChangeRequest.KeyChange::key)
                        .toList())
                .unchanged(unchanged)
                .ended(outcome, errorCode)
                .restart(request.restart());
        // Through the runner, not in autocommit: Galera may fail any statement's commit with 1213.
        transactions.executeWrite(status -> {
            audit.record(entry);
            return null;
        });
    }

    /** A change-set's {@code change_set_key} rows, for settling it when its writer is gone. */
    List<ChangeSetKey> keysOf(String changeSetId) {
        return changeSetKeys.findByChangeSetId(changeSetId);
    }

    Optional<ChangeSet> changeSet(String changeSetId) {
        return changeSets.findById(changeSetId);
    }

    Optional<ChangeSet> byIdempotencyHash(String hash) {
        return changeSets.findByIdempotencyHash(hash);
    }

    /** Whether the change-set has been pending for longer than stale-after, by the database's clock. */
    boolean isStale(ChangeSet changeSet) {
        return changeSet.pending()
                && changeSet.createdAt().isBefore(databaseClock.now().minus(timing.staleAfter()));
    }

    /** Change-sets pending for longer than stale-after, by the database's clock. */
    List<ChangeSet> stalePending() {
        return changeSets.findByStatusAndCreatedAtLessThan(
                ChangeSetStatus.PENDING, databaseClock.now().minus(timing.staleAfter()));
    }

    Optional<ScopeEntry> scopeEntry(Long id) {
        return scopeEntries.findById(id);
    }

    /** What a committed change-set did, for answering it (also when replayed). */
    List<KeyResult> resultsOf(String changeSetId) {
        ChangeSet changeSet = changeSets.findById(changeSetId).orElseThrow();
        List<ChangeSetKey> keys = changeSetKeys.findByChangeSetId(changeSetId);
        Map<Long, SecretVersion> versionBySecret = versions.findByChangeSetId(changeSetId).stream()
                .collect(Collectors.toMap(SecretVersion::secretId, Function.identity()));
        Map<String, Secret> secretByKey = secrets
                .findByScopeEntryIdAndKeyNameIn(
                        changeSet.scopeEntryId(),
                        keys.stream().map(ChangeSetKey::keyName).toList())
                .stream()
                .collect(Collectors.toMap(Secret::keyName, Function.identity()));
        return keys.stream()
                .map(key -> {
                    Secret secret = secretByKey.get(key.keyName());
                    SecretVersion version = secret == null ? null : versionBySecret.get(secret.id());
                    return version == null
                            ? new KeyResult(
                                    key.keyName(),
                                    key.operation(),
                                    secret == null ? 0 : secret.version(),
                                    secret == null ? changeSet.createdAt() : secret.updatedAt())
                            : new KeyResult(key.keyName(), key.operation(), version.version(), version.createdAt());
                })
                .toList();
    }

    private Map<String, Operation> operationsFor(ScopeEntry entry, Scope scope, List<ChangeRequest.KeyChange> changes) {
        Map<String, Secret> existing = secrets
                .findByScopeEntryIdAndKeyNameIn(
                        entry.id(),
                        changes.stream().map(ChangeRequest.KeyChange::key).toList())
                .stream()
                .collect(Collectors.toMap(Secret::keyName, Function.identity()));
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (ChangeRequest.KeyChange change : changes) {
            Secret secret = existing.get(change.key());
            int live = secret == null ? 0 : secret.liveVersion();
            if (change.expectedVersion() != null && change.expectedVersion() != live) {
                throw new ApiException(
                        ErrorCode.VERSION_CONFLICT,
                        live == 0
                                ? change.key() + " does not exist at " + scope + ", but expectedVersion was "
                                        + change.expectedVersion() + "."
                                : change.key() + " is at version " + live + " at " + scope
                                        + ", but expectedVersion was " + change.expectedVersion() + ".",
                        "expectedVersion",
                        Map.of("key", change.key(), "currentVersion", live));
            }
            if (change.delete() && live == 0) {
                throw new ApiException(
                        ErrorCode.SECRET_NOT_FOUND, "There is no secret " + change.key() + " at " + scope + ".", "key");
            }
            operations.put(
                    change.key(), change.delete() ? Operation.DELETE : live == 0 ? Operation.CREATE : Operation.UPDATE);
        }
        return operations;
    }

    void ensureScopeEntry(Project project, Scope scope) {
        String path = EntryPath.of(scope).path();
        if (scopeEntries.findByEntryPath(path).isPresent()) {
            return;
        }
        try {
            transactions.executeWrite(
                    status -> scopeEntries.save(ScopeEntry.empty(null, project.id(), path, scope.kind())));
        } catch (DataAccessException concurrentCreate) {
            scopeEntries.findByEntryPath(path).orElseThrow(() -> concurrentCreate);
        }
    }
}
