package io.vaultgate.secret;

import io.vaultgate.access.Actor;
import io.vaultgate.audit.Outcome;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.restart.Dispatcher;
import io.vaultgate.restart.NewEvent;
import io.vaultgate.scope.KeyNames;
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
import io.vaultgate.web.RestartMode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The write protocol across several scope entries of one project: every change of a release as
 * ONE change-set, all or nothing across scopes. (1) One MySQL transaction records the intent and
 * takes every scope's pending marker, in entry-path order, after checking every key against the
 * version it was reviewed at; (2) each scope's whole entry is written to the value store with
 * check-and-set, built from its acknowledged version and tagged with the change-set id; (3) one
 * MySQL transaction makes the metadata of every scope follow, records one restart event per
 * affected deployment and the audit row. A failure after (1) leaves the intent for
 * {@link Reconciler}, which rolls it forward only if every scope holds the tagged version and
 * otherwise aborts it whole.
 */
@Singleton
public class MultiScopeRelease {

    private static final int CAS_ATTEMPTS = 3;

    /** A draft's API path: what its audit rows, and its release's, name as their scope. */
    public static String draftPath(String project, String draftId) {
        return "/v1/projects/" + project + "/change-sets/" + draftId;
    }

    private final Catalog catalog;
    private final ReleaseLedger releases;
    private final ChangeLedger ledger;
    private final SecretValueStore store;
    private final SecretRules rules;
    private final ReleaseCompletion completion;
    private final Dispatcher dispatcher;
    private final Reconciler reconciler;
    private final ReconcilerProperties timing;
    private final Clock clock;

    MultiScopeRelease(
            Catalog catalog,
            ReleaseLedger releases,
            ChangeLedger ledger,
            SecretValueStore store,
            SecretRules rules,
            ReleaseCompletion completion,
            Dispatcher dispatcher,
            Reconciler reconciler,
            ReconcilerProperties timing,
            Clock clock) {
        this.catalog = catalog;
        this.releases = releases;
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
     * Applies every change as ONE change_set (all or nothing across scopes) with id {@code
     * changeSetId} chosen by the caller (UUID), so the caller can record it first. Idempotent on
     * changeSetId: a second call with the same id answers the first outcome. Throws ApiException
     * CHANGE_SET_CONFLICT (409, details.conflicts = every key whose live version != expectedVersion)
     * before anything is written; SCOPE_BUSY like a write.
     */
    public Released release(
            String changeSetId, String draftId, Actor actor, List<StagedChange> changes, RestartMode restart) {
        SortedMap<String, List<StagedChange>> byPath = validated(changeSetId, draftId, changes);
        Project project = requireScopes(byPath);
        Optional<ChangeSet> earlier = releases.changeSet(changeSetId);
        if (earlier.isPresent()) {
            return answerOf(earlier.get());
        }
        ReleaseLedger.Intent intent;
        try {
            intent = beginWhenScopesAreFree(project, changeSetId, draftId, actor, byPath, restart);
        } catch (ReleaseLedger.AlreadyBegun concurrentRetry) {
            return answerOf(releases.changeSet(changeSetId).orElseThrow());
        } catch (ApiException refused) {
            releases.recordRefused(project, actor, draftId, keyNames(changes), refused.errorCode());
            throw refused;
        }
        Map<Long, ValueChange> written = writeValues(intent, byPath);
        ReleaseLedger.Committed committed;
        try {
            committed = completion.complete(project, intent.changeSet(), written, Outcome.SUCCEEDED);
        } catch (ChangeLedger.IntentTakenOver takenOver) {
            throw new ApiException(
                    ErrorCode.SCOPE_BUSY,
                    "This release took too long and was given up by the gateway; nothing was applied. "
                            + "Release again with a new id.");
        } catch (RuntimeException commitFailed) {
            // Every scope has the release, MySQL refused to record it: the reconciler rolls it forward.
            abandon(changeSetId);
            throw commitFailed;
        }
        if (!committed.events().isEmpty()) {
            dispatcher.wakeUp();
        }
        return new Released(changeSetId, keyResults(committed.keys()), affected(committed.events()), false);
    }

    /**
     * What the changes would do now (keys per deployment whose resolved value changes), against
     * acknowledged state, without writing or auditing: the review-time impact.
     */
    public List<AffectedDeployment> impact(String project, List<StagedChange> changes) {
        SortedMap<String, List<StagedChange>> byPath = grouped(changes);
        for (StagedChange change : changes) {
            requireProject(project, change);
        }
        Project found = requireScopes(byPath);
        List<ValueChange> valueChanges = new ArrayList<>();
        for (List<StagedChange> staged : byPath.values()) {
            Scope scope = staged.get(0).scope();
            EntryPath path = EntryPath.of(scope);
            int acknowledged = ledger.acknowledgedVersion(scope);
            Map<String, SecretValue> before = acknowledged == 0
                    ? Map.of()
                    : store.read(path, acknowledged).map(VersionedEntry::values).orElse(Map.of());
            valueChanges.add(changeOf(scope, staged, before, acknowledged));
        }
        return affected(completion.restarts(found, valueChanges, null, RestartMode.EVENTS, null));
    }

    /** The applied change_set's state: NONE (never begun), PENDING, COMMITTED, ABORTED. */
    public ReleaseState state(String changeSetId) {
        return releases.changeSet(changeSetId)
                .map(changeSet -> switch (changeSet.status()) {
                    case PENDING -> ReleaseState.PENDING;
                    case COMMITTED -> ReleaseState.COMMITTED;
                    case ABORTED -> ReleaseState.ABORTED;
                })
                .orElse(ReleaseState.NONE);
    }

    /**
     * Makes sure the release {@code changeSetId} can no longer begin, before its draft is given
     * back: a releaser still in flight then gets {@code change-set-closed} instead of applying
     * operations its draft no longer stands for. Answers the change-set's state after fencing
     * (ABORTED when fenced here; whatever it reached when it had begun first).
     */
    public ReleaseState fence(String project, String changeSetId, String draftId, Actor actor) {
        releases.fence(catalog.requireProject(project), changeSetId, draftId, actor);
        return state(changeSetId);
    }

    /** The restarts a committed release recorded, as its releaser was answered them. */
    public List<AffectedDeployment> restartsOf(String project, String changeSetId) {
        ChangeSet changeSet = releases.changeSet(changeSetId)
                .filter(found -> found.committed()
                        && found.projectId()
                                .equals(catalog.requireProject(project).id()))
                .orElseThrow(() -> new ApiException(
                        ErrorCode.CHANGE_SET_NOT_FOUND,
                        "Release " + changeSetId + " is not committed in " + project + "."));
        return recordedRestarts(changeSet);
    }

    private List<AffectedDeployment> recordedRestarts(ChangeSet changeSet) {
        return affected(releases.recordedEvents(changeSet));
    }

    public record Released(
            String changeSetId, List<KeyResult> keys, List<AffectedDeployment> restarts, boolean replayed) {}

    public record KeyResult(String scope /*apiPath*/, String key, String operation, int version) {}

    public record AffectedDeployment(String environment, String service, SortedSet<String> keys) {}

    public enum ReleaseState {
        NONE,
        PENDING,
        COMMITTED,
        ABORTED
    }

    private static SortedMap<String, List<StagedChange>> validated(
            String changeSetId, String draftId, List<StagedChange> changes) {
        if (changeSetId == null || changeSetId.isBlank() || changeSetId.length() > 36) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "A release needs a change-set id of 1 to 36 characters.");
        }
        if (draftId == null || draftId.isBlank() || draftId.length() > 64) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "A release needs the id of its draft.");
        }
        SortedMap<String, List<StagedChange>> byPath = grouped(changes);
        String project = changes.get(0).scope().project();
        for (StagedChange change : changes) {
            requireProject(project, change);
        }
        return byPath;
    }

    private static SortedMap<String, List<StagedChange>> grouped(List<StagedChange> changes) {
        if (changes == null || changes.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "A change-set with no operation has nothing to release.");
        }
        SortedMap<String, List<StagedChange>> byPath = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (StagedChange change : changes) {
            if (change == null || change.scope() == null) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "Every operation of a change-set names a scope.");
            }
            KeyNames.require(change.key());
            if (change.expectedVersion() < 0) {
                throw new ApiException(
                        ErrorCode.INVALID_REQUEST,
                        "The reviewed version of " + change.key() + " at " + change.scope() + " is negative.",
                        "expectedVersion");
            }
            String path = EntryPath.of(change.scope()).path();
            if (!seen.add(path + "\n" + change.key())) {
                throw new ApiException(
                        ErrorCode.INVALID_REQUEST,
                        "The change-set changes " + change.key() + " at " + change.scope() + " twice.");
            }
            byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(change);
        }
        return byPath;
    }

    private static void requireProject(String project, StagedChange change) {
        if (!change.scope().project().equals(project)) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "Every operation of a change-set is in project " + project + "; " + change.scope() + " is not.");
        }
    }

    private Project requireScopes(SortedMap<String, List<StagedChange>> byPath) {
        Project project = null;
        for (List<StagedChange> staged : byPath.values()) {
            project = catalog.requireScope(staged.get(0).scope());
        }
        return project;
    }

    private ReleaseLedger.Intent beginWhenScopesAreFree(
            Project project,
            String changeSetId,
            String draftId,
            Actor actor,
            SortedMap<String, List<StagedChange>> byPath,
            RestartMode restart) {
        Instant giveUpAt = clock.instant().plus(timing.lockWait());
        while (true) {
            ReleaseLedger.Begin begin = releases.begin(project, changeSetId, draftId, actor, byPath, restart);
            if (begin instanceof ReleaseLedger.Begun begun) {
                return begun.intent();
            }
            ReleaseLedger.Busy busy = (ReleaseLedger.Busy) begin;
            if (busy.abandoned() || busy.stale()) {
                reconciler.settle(busy.changeSetId());
            }
            // Bounded even after settling: a marker the reconciler cannot free (its change-set is
            // no longer pending) must not hold this request forever.
            if (clock.instant().isAfter(giveUpAt)) {
                throw new ApiException(
                        ErrorCode.SCOPE_BUSY,
                        "Another write to " + busy.scope() + " has been in progress for too long; retry in a moment.");
            }
            pause();
        }
    }

    /**
     * Builds every scope's new entry from its acknowledged version and checks every scope's limits
     * before the first write, then writes the scopes one after the other, each with check-and-set
     * and tagged with the change-set id. Every scope is written, even one whose values do not
     * change, so that "every scope's latest version carries the id" is what tells the reconciler
     * the release landed whole.
     */
    private Map<Long, ValueChange> writeValues(
            ReleaseLedger.Intent intent, SortedMap<String, List<StagedChange>> byPath) {
        String id = intent.changeSet().id();
        Map<Long, ValueChange> prepared = new LinkedHashMap<>();
        Map<Long, Integer> current = new HashMap<>();
        try {
            for (ReleaseLedger.ScopeIntent scope : intent.scopes()) {
                EntryPath path = EntryPath.of(scope.scope());
                Optional<VersionedEntry> latest = store.read(path);
                ValueChange change = changeOf(
                        scope.scope(),
                        byPath.get(path.path()),
                        acknowledgedValues(path, scope.base(), latest),
                        scope.base());
                rules.requireScopeSize(scope.scope().apiPath(), change.after());
                prepared.put(scope.entry().id(), change);
                current.put(
                        scope.entry().id(), latest.map(VersionedEntry::version).orElse(0));
            }
        } catch (ApiException refused) {
            releases.abort(id, Outcome.REFUSED, refused.errorCode());
            throw refused;
        } catch (ValueStoreException failed) {
            releases.abort(id, Outcome.ABORTED, errorCodeOf(failed));
            throw failed;
        }
        Map<Long, ValueChange> written = new LinkedHashMap<>();
        for (ReleaseLedger.ScopeIntent scope : intent.scopes()) {
            ValueChange change = prepared.get(scope.entry().id());
            int version = write(intent, scope, change, current.get(scope.entry().id()), written.isEmpty());
            written.put(
                    scope.entry().id(),
                    new ValueChange(change.scope(), change.touched(), change.before(), change.after(), version));
        }
        return written;
    }

    private int write(
            ReleaseLedger.Intent intent, ReleaseLedger.ScopeIntent scope, ValueChange change, int cas, boolean first) {
        String id = intent.changeSet().id();
        EntryPath path = EntryPath.of(scope.scope());
        int expected = cas;
        for (int attempt = 1; ; attempt++) {
            try {
                return store.write(path, change.after(), id, expected);
            } catch (CasMismatchException lostRace) {
                // Another writer's version landed on the entry without the scope's marker (a write
                // taken over as stale): the entry is rebuilt from the acknowledged version all the same.
                if (!releases.stillHolds(id)) {
                    throw new ApiException(
                            ErrorCode.SCOPE_BUSY,
                            "This release took too long and was given up by the gateway; nothing was applied. "
                                    + "Release again with a new id.");
                }
                if (attempt == CAS_ATTEMPTS) {
                    abandon(id);
                    reconciler.settleAfterFailure(id, scope.scope());
                    throw new ApiException(
                            ErrorCode.SCOPE_BUSY,
                            "The value store entry of " + scope.scope()
                                    + " kept changing under this release; nothing was applied. Retry.");
                }
                expected = store.currentVersion(path);
            } catch (ValueStoreException failed) {
                if (first && failed.changedNothing()) {
                    // Nothing of the release reached the value store: every scope is freed now.
                    releases.abort(id, Outcome.ABORTED, errorCodeOf(failed));
                } else {
                    // Some scope may hold the release: settled whole as soon as the store answers.
                    abandon(id);
                    reconciler.settleAfterFailure(id, scope.scope());
                }
                throw failed;
            }
        }
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

    private static ValueChange changeOf(
            Scope scope, List<StagedChange> staged, Map<String, SecretValue> before, int version) {
        Map<String, SecretValue> after = new HashMap<>(before);
        Set<String> touched = new LinkedHashSet<>();
        for (StagedChange change : staged) {
            touched.add(change.key());
            if (change.value() == null) {
                after.remove(change.key());
            } else {
                after.put(change.key(), change.value());
            }
        }
        return new ValueChange(scope, touched, before, after, version);
    }

    /** Answers a release begun before with this id: its result once settled, or why there is none. */
    private Released answerOf(ChangeSet earlier) {
        if (!ReleaseLedger.ACTION.equals(earlier.action())) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST, "Change-set " + earlier.id() + " is not a release; use a new id.");
        }
        ChangeSet settled = awaitSettled(earlier);
        if (settled.committed()) {
            return new Released(
                    settled.id(), keyResults(releases.resultsOf(settled.id())), recordedRestarts(settled), true);
        }
        if (settled.pending()) {
            throw new ApiException(
                    ErrorCode.CHANGE_SET_BUSY,
                    "Release " + settled.id() + " is still being applied; retry in a moment.");
        }
        throw new ApiException(
                ErrorCode.CHANGE_SET_CLOSED,
                "Release " + settled.id() + " was aborted and nothing of it was applied; release again with a new id.");
    }

    private ChangeSet awaitSettled(ChangeSet changeSet) {
        Instant giveUpAt = clock.instant().plus(timing.lockWait());
        ChangeSet current = changeSet;
        while (current.pending() && clock.instant().isBefore(giveUpAt)) {
            pause();
            current = releases.changeSet(current.id()).orElseThrow();
        }
        if (current.pending() && releases.isStale(current)) {
            reconciler.settle(current.id());
            current = releases.changeSet(current.id()).orElseThrow();
        }
        return current;
    }

    private void abandon(String changeSetId) {
        try {
            releases.markAbandoned(changeSetId);
        } catch (RuntimeException metadataDown) {
            // Left for the reconciler's stale pass.
        }
    }

    private static ErrorCode errorCodeOf(ValueStoreException failed) {
        return failed instanceof ValueStoreUnavailableException
                ? ErrorCode.VALUE_STORE_UNAVAILABLE
                : ErrorCode.VALUE_STORE_FAILED;
    }

    private static Set<String> keyNames(List<StagedChange> changes) {
        Set<String> keys = new LinkedHashSet<>();
        changes.forEach(change -> keys.add(change.key()));
        return keys;
    }

    private static List<KeyResult> keyResults(List<ReleaseLedger.ReleasedKey> keys) {
        return keys.stream()
                .map(key -> new KeyResult(
                        key.scope().apiPath(),
                        key.result().key(),
                        key.result().operation().wireName(),
                        key.result().version()))
                .toList();
    }

    private static List<AffectedDeployment> affected(List<NewEvent> events) {
        return events.stream()
                .map(event -> new AffectedDeployment(event.environment(), event.service(), new TreeSet<>(event.keys())))
                .toList();
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
