package io.vaultgate.secret;

import io.micronaut.data.exceptions.DataAccessException;
import io.vaultgate.access.Actor;
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
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MySQL half of a change-set that writes several scope entries of one project (a draft's
 * release), in short transactions that never call Vault, like {@link ChangeLedger} for one scope.
 * Every transaction locks the entries' rows in one order, by entry path, so two releases, or a
 * release and single-scope writers, never wait on each other in a cycle.
 */
@Singleton
class ReleaseLedger {

    static final String ACTION = "change-set.release";

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseLedger.class);
    private static final long NO_BASIS = -1;
    private static final int IMPACT_ATTEMPTS = 20;

    private final Repositories.ScopeEntries scopeEntries;
    private final Repositories.Secrets secrets;
    private final Repositories.SecretVersions versions;
    private final Repositories.ChangeSets changeSets;
    private final Repositories.ChangeSetKeys changeSetKeys;
    private final Repositories.ChangeSetScopes changeSetScopes;
    private final ChangeLedger ledger;
    private final AuditLog audit;
    private final RestartOutbox outbox;
    private final Transactions transactions;
    private final Clock clock;
    private final DatabaseClock databaseClock;
    private final ReconcilerProperties timing;
    private final ProjectWriteSequence sequence;

    ReleaseLedger(
            Repositories.ScopeEntries scopeEntries,
            Repositories.Secrets secrets,
            Repositories.SecretVersions versions,
            Repositories.ChangeSets changeSets,
            Repositories.ChangeSetKeys changeSetKeys,
            Repositories.ChangeSetScopes changeSetScopes,
            ChangeLedger ledger,
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
        this.changeSetScopes = changeSetScopes;
        this.ledger = ledger;
        this.audit = audit;
        this.outbox = outbox;
        this.transactions = transactions;
        this.clock = clock;
        this.databaseClock = databaseClock;
        this.timing = timing;
        this.sequence = sequence;
    }

    /** One scope of a release's intent: its entry as locked, and what the release does to each key. */
    record ScopeIntent(Scope scope, ScopeEntry entry, Map<String, Operation> operations) {

        int base() {
            return entry.vaultVersion();
        }
    }

    /** A release recorded in MySQL, its scopes in lock order (by entry path). */
    record Intent(ChangeSet changeSet, List<ScopeIntent> scopes) {}

    sealed interface Begin permits Begun, Busy {}

    record Begun(Intent intent) implements Begin {}

    /** A scope of the release is held by another change-set (see {@link ChangeLedger.Busy}). */
    record Busy(Scope scope, String changeSetId, boolean stale, boolean abandoned) implements Begin {}

    /** A change-set with this id exists already: the caller answers it instead. */
    static final class AlreadyBegun extends RuntimeException {
        AlreadyBegun() {
            super("a change-set with this id exists", null, false, false);
        }
    }

    /** A committed release's result for one key. */
    record ReleasedKey(Scope scope, ChangeLedger.KeyResult result) {}

    record Committed(List<ReleasedKey> keys, List<NewEvent> events) {}

    /**
     * Records the intent of a release in one transaction: locks every scope's row in path order,
     * checks every key against the version it was reviewed at (all conflicts at once, nothing
     * recorded: 409 {@code change-set-conflict}), then writes the change-set, its scopes and keys,
     * and takes every scope's pending marker.
     *
     * @param changes by entry path, which is the lock order
     */
    Begin begin(
            Project project,
            String changeSetId,
            String draftId,
            Actor actor,
            SortedMap<String, List<StagedChange>> changes,
            RestartMode restart) {
        changes.forEach(
                (path, staged) -> ledger.ensureScopeEntry(project, staged.get(0).scope()));
        try {
            return transactions.executeWrite(status -> {
                Instant now = databaseClock.now();
                List<ScopeEntry> locked = new ArrayList<>();
                for (Map.Entry<String, List<StagedChange>> scope : changes.entrySet()) {
                    ScopeEntry entry = scopeEntries
                            .findByEntryPathForUpdate(scope.getKey())
                            .orElseThrow();
                    if (entry.pendingChangeSet() != null) {
                        boolean stale = entry.pendingSince() == null
                                || entry.pendingSince().isBefore(now.minus(timing.staleAfter()));
                        return new Busy(
                                scope.getValue().get(0).scope(),
                                entry.pendingChangeSet(),
                                stale,
                                entry.pendingAbandoned());
                    }
                    locked.add(entry);
                }
                List<Map<String, Object>> conflicts = new ArrayList<>();
                List<ScopeIntent> scopes = new ArrayList<>();
                int i = 0;
                for (List<StagedChange> staged : changes.values()) {
                    ScopeEntry entry = locked.get(i++);
                    scopes.add(new ScopeIntent(staged.get(0).scope(), entry, operationsFor(entry, staged, conflicts)));
                }
                if (!conflicts.isEmpty()) {
                    throw conflict(conflicts);
                }
                if (changeSets.existsById(changeSetId)) {
                    throw new AlreadyBegun();
                }
                ScopeEntry first = locked.get(0);
                ChangeSet changeSet = changeSets.save(ChangeSet.pending(
                                changeSetId,
                                project.id(),
                                first.id(),
                                ACTION,
                                first.vaultVersion(),
                                actor,
                                null,
                                null,
                                now,
                                restart)
                        .forDraft(draftId));
                List<ChangeSetKey> keys = new ArrayList<>();
                List<ScopeIntent> pending = new ArrayList<>();
                for (ScopeIntent scope : scopes) {
                    changeSetScopes.save(
                            new ChangeSetScope(null, changeSetId, scope.entry().id(), scope.base(), null));
                    scope.operations()
                            .forEach((key, operation) -> keys.add(new ChangeSetKey(
                                    null,
                                    changeSetId,
                                    key,
                                    operation,
                                    scope.entry().id())));
                    pending.add(new ScopeIntent(
                            scope.scope(),
                            scopeEntries.update(scope.entry().pending(changeSetId, now)),
                            scope.operations()));
                }
                KeyRows.insertChangeSetKeys(status.getConnection(), keys);
                return new Begun(new Intent(changeSet, pending));
            });
        } catch (DataAccessException e) {
            if (changeSets.existsById(changeSetId)) {
                throw new AlreadyBegun();
            }
            throw e;
        }
    }

    private Map<String, Operation> operationsFor(
            ScopeEntry entry, List<StagedChange> staged, List<Map<String, Object>> conflicts) {
        Map<String, Secret> existing =
                secrets
                        .findByScopeEntryIdAndKeyNameIn(
                                entry.id(),
                                staged.stream().map(StagedChange::key).toList())
                        .stream()
                        .collect(Collectors.toMap(Secret::keyName, Function.identity()));
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (StagedChange change : staged) {
            Secret secret = existing.get(change.key());
            int live = secret == null ? 0 : secret.liveVersion();
            boolean delete = change.value() == null;
            // Deleting a key that does not exist is a conflict too: it was deleted since review, or
            // never was (currentVersion 0).
            if (change.expectedVersion() != live || (delete && live == 0)) {
                Map<String, Object> conflict = new LinkedHashMap<>();
                conflict.put("scope", change.scope().apiPath());
                conflict.put("key", change.key());
                conflict.put("reviewedVersion", change.expectedVersion());
                conflict.put("currentVersion", live);
                conflicts.add(conflict);
            }
            operations.put(change.key(), delete ? Operation.DELETE : live == 0 ? Operation.CREATE : Operation.UPDATE);
        }
        return operations;
    }

    private static ApiException conflict(List<Map<String, Object>> conflicts) {
        return new ApiException(
                ErrorCode.CHANGE_SET_CONFLICT,
                conflicts.size() + (conflicts.size() == 1 ? " key has" : " keys have")
                        + " changed since the change-set was reviewed; nothing was written. Review it again.",
                null,
                Map.of("details", Map.of("conflicts", List.copyOf(conflicts))));
    }

    /**
     * Commits with the restart events worked out by {@code impact} outside the transaction, again
     * if another commit in the project landed meanwhile (as {@link ChangeLedger#commit} does).
     *
     * @param written   the entry version written at each scope entry (by entry id)
     * @param unchanged the keys set to the value they had, by scope entry id
     */
    Committed commit(
            String changeSetId,
            Map<Long, Integer> written,
            Map<Long, Set<String>> unchanged,
            Outcome outcome,
            Supplier<List<NewEvent>> impact) {
        Long projectId = changeSets.findById(changeSetId).orElseThrow().projectId();
        for (int attempt = 1; ; attempt++) {
            long basis = sequence.current(projectId);
            List<NewEvent> events = impact.get();
            try {
                return new Committed(
                        commit(
                                changeSetId,
                                written,
                                unchanged,
                                outcome,
                                events,
                                attempt < IMPACT_ATTEMPTS ? basis : NO_BASIS),
                        events);
            } catch (ChangeLedger.ImpactOutdated outdated) {
                if (attempt == IMPACT_ATTEMPTS - 1) {
                    LOG.warn("release {}: its project kept committing while its restarts were worked out", changeSetId);
                }
            }
        }
    }

    private List<ReleasedKey> commit(
            String changeSetId,
            Map<Long, Integer> written,
            Map<Long, Set<String>> unchanged,
            Outcome outcome,
            List<NewEvent> events,
            long impactBasis) {
        List<ChangeSetScope> scopeRows = changeSetScopes.findByChangeSetId(changeSetId);
        return transactions.executeWrite(status -> {
            List<ScopeEntry> entries = lockInPathOrder(scopeRows);
            ChangeSet changeSet = changeSets.findById(changeSetId).orElseThrow();
            if (changeSet.committed()) {
                return resultsOf(changeSetId);
            }
            if (!changeSet.pending() || entries.stream().anyMatch(e -> !changeSetId.equals(e.pendingChangeSet()))) {
                throw new ChangeLedger.IntentTakenOver();
            }
            long before = sequence.advance(changeSet.projectId());
            if (impactBasis != NO_BASIS && before != impactBasis) {
                throw new ChangeLedger.ImpactOutdated();
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Map<Long, List<ChangeSetKey>> keysByEntry = keysByEntry(changeSetId);
            Map<Long, ChangeSetScope> rowByEntry =
                    scopeRows.stream().collect(Collectors.toMap(ChangeSetScope::scopeEntryId, Function.identity()));
            List<ReleasedKey> results = new ArrayList<>();
            Set<String> keyNames = new LinkedHashSet<>();
            Set<String> unchangedNames = new LinkedHashSet<>();
            for (ScopeEntry entry : entries) {
                int version = written.get(entry.id());
                List<ChangeSetKey> keys = keysByEntry.getOrDefault(entry.id(), List.of());
                ChangeLedger.ScopeRows rows = ledger.writeKeyRows(
                        status.getConnection(),
                        entry,
                        keys,
                        unchanged.getOrDefault(entry.id(), Set.of()),
                        version,
                        changeSet,
                        now);
                Scope scope = new EntryPath(entry.entryPath()).scope();
                rows.results().forEach(result -> results.add(new ReleasedKey(scope, result)));
                keys.forEach(key -> keyNames.add(key.keyName()));
                unchangedNames.addAll(rows.unchanged());
                scopeEntries.update(entry.settled(version));
                changeSetScopes.update(rowByEntry.get(entry.id()).written(version));
            }
            changeSets.update(changeSet.committed(written.get(changeSet.scopeEntryId()), now));
            if (changeSet.restartMode() == RestartMode.EVENTS) {
                outbox.record(changeSet.projectId(), events);
            }
            audit.record(
                    auditEntry(changeSet, keyNames).unchanged(unchangedNames).ended(outcome, null));
            return results;
        });
    }

    /**
     * Gives up a release whose writes did not all land, at every scope at once, freeing them. A
     * version some scopes did take stays unacknowledged: readers and the next writer of each
     * scope work from the acknowledged version.
     */
    void abort(String changeSetId, Outcome outcome, ErrorCode errorCode) {
        List<ChangeSetScope> scopeRows = changeSetScopes.findByChangeSetId(changeSetId);
        transactions.executeWrite(status -> {
            List<ScopeEntry> entries = lockInPathOrder(scopeRows);
            ChangeSet changeSet = changeSets.findById(changeSetId).orElseThrow();
            if (!changeSet.pending()) {
                return null;
            }
            changeSets.update(changeSet.aborted(clock.instant()));
            for (ScopeEntry entry : entries) {
                if (changeSetId.equals(entry.pendingChangeSet())) {
                    scopeEntries.update(entry.settled(entry.vaultVersion()));
                }
            }
            Set<String> keyNames = new LinkedHashSet<>();
            changeSetKeys.findByChangeSetId(changeSetId).forEach(key -> keyNames.add(key.keyName()));
            audit.record(auditEntry(changeSet, keyNames).ended(outcome, errorCode));
            return null;
        });
    }

    /**
     * Closes the id {@code changeSetId} to any release that has not begun: records it as an aborted
     * change-set that changed nothing (attached to the project's own entry, which every change-set
     * row needs), unless a change-set with that id exists already. A {@link #begin} with that id
     * afterwards finds it and answers {@code change-set-closed}.
     *
     * @return whether this call recorded it (false: a change-set with that id had begun)
     */
    boolean fence(Project project, String changeSetId, String draftId, Actor actor) {
        Scope scope = Scope.project(project.slug());
        ledger.ensureScopeEntry(project, scope);
        try {
            return transactions.executeWrite(status -> {
                if (changeSets.existsById(changeSetId)) {
                    return false;
                }
                ScopeEntry entry =
                        scopeEntries.findByEntryPath(EntryPath.of(scope).path()).orElseThrow();
                Instant now = databaseClock.now();
                changeSets.save(ChangeSet.pending(
                                changeSetId,
                                project.id(),
                                entry.id(),
                                ACTION,
                                entry.vaultVersion(),
                                actor,
                                null,
                                null,
                                now,
                                RestartMode.EVENTS)
                        .forDraft(draftId)
                        .aborted(now));
                return true;
            });
        } catch (DataAccessException beganMeanwhile) {
            if (changeSets.existsById(changeSetId)) {
                return false;
            }
            throw beganMeanwhile;
        }
    }

    /**
     * The restart events a committed release recorded, one per deployment, each with only the
     * release's own keys (an event may have coalesced other change-sets' keys too).
     */
    List<NewEvent> recordedEvents(ChangeSet changeSet) {
        Set<String> keys = new HashSet<>();
        resultsOf(changeSet.id()).forEach(key -> keys.add(key.result().key()));
        return transactions.executeRead(status -> outbox.eventsOf(changeSet.projectId(), changeSet.id())).stream()
                .map(event -> {
                    SortedSet<String> own = new TreeSet<>(event.keys());
                    own.retainAll(keys);
                    return new NewEvent(
                            event.projectId(),
                            event.deploymentId(),
                            event.environment(),
                            event.service(),
                            event.reason(),
                            event.changeSetId(),
                            own,
                            event.configRevision(),
                            event.actor());
                })
                .toList();
    }

    /** A release refused before anything was recorded (a conflict, a busy scope): audited, nothing else. */
    void recordRefused(Project project, Actor actor, String draftId, Set<String> keys, ErrorCode code) {
        AuditEntry entry = AuditEntry.of(
                        project.id(), actor, ACTION, MultiScopeRelease.draftPath(project.slug(), draftId))
                .keys(keys)
                .ended(Outcome.REFUSED, code);
        transactions.executeWrite(status -> {
            audit.record(entry);
            return null;
        });
    }

    /**
     * One audit row for the whole release: its scope is the draft's API path (so the row names the
     * draft), its keys every key it touched; which scope each key is at is in {@code change_set_key}.
     */
    private AuditEntry auditEntry(ChangeSet changeSet, Set<String> keyNames) {
        Scope first = new EntryPath(scopeEntries
                        .findById(changeSet.scopeEntryId())
                        .orElseThrow()
                        .entryPath())
                .scope();
        return AuditEntry.of(
                        changeSet.projectId(),
                        changeSet.by(),
                        ACTION,
                        MultiScopeRelease.draftPath(first.project(), changeSet.draftId()))
                .keys(keyNames)
                .changeSet(changeSet.id())
                .restart(changeSet.restartMode());
    }

    /** Marks every scope's intent as given up by its writer (see {@link ChangeLedger#markAbandoned}). */
    void markAbandoned(String changeSetId) {
        List<ChangeSetScope> scopeRows = changeSetScopes.findByChangeSetId(changeSetId);
        transactions.executeWrite(status -> {
            lockInPathOrder(scopeRows).forEach(entry -> scopeEntries.markAbandoned(entry.id(), changeSetId));
            return null;
        });
    }

    /** Whether the release still holds every one of its scopes. */
    boolean stillHolds(String changeSetId) {
        return changeSetScopes.findByChangeSetId(changeSetId).stream()
                .allMatch(row -> scopeEntries
                        .findById(row.scopeEntryId())
                        .map(entry -> changeSetId.equals(entry.pendingChangeSet()))
                        .orElse(false));
    }

    /** Whether the change-set writes several scope entries (it was begun here). */
    boolean isRelease(String changeSetId) {
        return !changeSetScopes.findByChangeSetId(changeSetId).isEmpty();
    }

    /** A release's scopes in path order, each with the acknowledged version it builds from. */
    List<ReleaseScope> scopesOf(String changeSetId) {
        List<ChangeSetScope> rows = changeSetScopes.findByChangeSetId(changeSetId);
        Map<Long, List<ChangeSetKey>> keys = keysByEntry(changeSetId);
        List<ReleaseScope> scopes = new ArrayList<>();
        for (ChangeSetScope row : rows) {
            ScopeEntry entry = scopeEntries.findById(row.scopeEntryId()).orElseThrow();
            scopes.add(new ReleaseScope(
                    new EntryPath(entry.entryPath()).scope(),
                    entry.id(),
                    row.baseVaultVersion(),
                    keys.getOrDefault(entry.id(), List.of()).stream()
                            .map(ChangeSetKey::keyName)
                            .collect(Collectors.toCollection(LinkedHashSet::new))));
        }
        scopes.sort(Comparator.comparing(scope -> EntryPath.of(scope.scope()).path()));
        return scopes;
    }

    /** One scope of a recorded release: where, the acknowledged version it builds from, the keys it touches. */
    record ReleaseScope(Scope scope, Long scopeEntryId, int base, Set<String> touched) {}

    Optional<ChangeSet> changeSet(String changeSetId) {
        return changeSets.findById(changeSetId);
    }

    boolean isStale(ChangeSet changeSet) {
        return ledger.isStale(changeSet);
    }

    /** What a committed release did to each key, read back from its rows (for a replay). */
    List<ReleasedKey> resultsOf(String changeSetId) {
        ChangeSet changeSet = changeSets.findById(changeSetId).orElseThrow();
        Map<Long, SecretVersion> versionBySecret = versions.findByChangeSetId(changeSetId).stream()
                .collect(Collectors.toMap(SecretVersion::secretId, Function.identity()));
        List<ReleasedKey> results = new ArrayList<>();
        for (ReleaseScope scope : scopesOf(changeSetId)) {
            List<ChangeSetKey> keys = keysByEntry(changeSetId).getOrDefault(scope.scopeEntryId(), List.of());
            Map<String, Secret> secretByKey = secrets
                    .findByScopeEntryIdAndKeyNameIn(
                            scope.scopeEntryId(),
                            keys.stream().map(ChangeSetKey::keyName).toList())
                    .stream()
                    .collect(Collectors.toMap(Secret::keyName, Function.identity()));
            for (ChangeSetKey key : keys) {
                Secret secret = secretByKey.get(key.keyName());
                SecretVersion version = secret == null ? null : versionBySecret.get(secret.id());
                results.add(new ReleasedKey(
                        scope.scope(),
                        version == null
                                ? new ChangeLedger.KeyResult(
                                        key.keyName(),
                                        key.operation(),
                                        secret == null ? 0 : secret.version(),
                                        secret == null ? changeSet.createdAt() : secret.updatedAt())
                                : new ChangeLedger.KeyResult(
                                        key.keyName(), key.operation(), version.version(), version.createdAt())));
            }
        }
        return results;
    }

    private Map<Long, List<ChangeSetKey>> keysByEntry(String changeSetId) {
        Map<Long, List<ChangeSetKey>> byEntry = new HashMap<>();
        changeSetKeys
                .findByChangeSetId(changeSetId)
                .forEach(key -> byEntry.computeIfAbsent(key.scopeEntryId(), id -> new ArrayList<>())
                        .add(key));
        return byEntry;
    }

    /** Locks the release's entry rows one after the other, in entry-path order. */
    private List<ScopeEntry> lockInPathOrder(List<ChangeSetScope> scopeRows) {
        List<String> paths = new ArrayList<>();
        for (ChangeSetScope row : scopeRows) {
            paths.add(scopeEntries.findById(row.scopeEntryId()).orElseThrow().entryPath());
        }
        paths.sort(Comparator.naturalOrder());
        List<ScopeEntry> locked = new ArrayList<>();
        for (String path : paths) {
            locked.add(scopeEntries.findByEntryPathForUpdate(path).orElseThrow());
        }
        return locked;
    }
}
