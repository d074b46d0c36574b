package io.vaultgate.secret;

import io.vaultgate.project.Catalog;
import io.vaultgate.project.Deployment;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.project.Environment;
import io.vaultgate.project.Project;
import io.vaultgate.project.Service;
import io.vaultgate.restart.Impact;
import io.vaultgate.restart.NewEvent;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.VersionedEntry;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Turns one change-set into the restart events it owes: loads the project's deployments and the
 * secret metadata of the scope chains the change can reach (never the whole project's), lets
 * {@link Impact} decide who really changes, and computes each affected deployment's config
 * revision after the change. Reads values only from the value
 * store and only to compare; none leaves this class.
 */
@Singleton
class ImpactAnalysis {

    static final String SECRET_CHANGE = "secret-change";

    private final Catalog catalog;
    private final Repositories.ScopeEntries scopeEntries;
    private final Repositories.Secrets secrets;
    private final SecretValueStore store;

    ImpactAnalysis(
            Catalog catalog,
            Repositories.ScopeEntries scopeEntries,
            Repositories.Secrets secrets,
            SecretValueStore store) {
        this.catalog = catalog;
        this.scopeEntries = scopeEntries;
        this.secrets = secrets;
        this.store = store;
    }

    /**
     * The events {@code change} owes to the project's deployments whose resolved values it changes.
     * Reads only what the change can affect: the touched keys at the scopes of the chains that
     * inherit the changed scope, then every key of the chains it really changes (their config
     * revision covers all their keys). A project's other scopes and keys are never loaded.
     */
    List<NewEvent> eventsFor(Project project, ValueChange change, String changeSetId, String actor) {
        return eventsFor(project, List.of(change), changeSetId, actor);
    }

    /**
     * The events a change-set that writes several scopes at once owes: one per deployment whose
     * resolved values it changes at any of them, naming all its keys, with its revision after all
     * the changes.
     */
    List<NewEvent> eventsFor(Project project, List<ValueChange> changes, String changeSetId, String actor) {
        Map<Scope, ValueChange> byScope = new HashMap<>();
        Set<String> touchedKeys = new HashSet<>();
        changes.forEach(change -> {
            byScope.put(change.scope(), change);
            touchedKeys.addAll(change.touched());
        });
        List<DeploymentRef> inheriting = catalog.deploymentRefsOf(project).stream()
                .filter(deployment -> deployment.chain().scopes().stream().anyMatch(byScope::containsKey))
                .toList();
        if (inheriting.isEmpty() || touchedKeys.isEmpty()) {
            return List.of();
        }
        Map<Scope, ScopeEntry> entries = entriesOf(scopesOf(inheriting));
        Map<Scope, Integer> acknowledged = new HashMap<>();
        entries.forEach((scope, entry) -> acknowledged.put(scope, entry.vaultVersion()));
        Map<Scope, Set<String>> definedAt = definedAt(entries, byScope.keySet(), touchedKeys);
        Map<Scope, Map<String, SecretValue>> fallbackEntries = new HashMap<>();
        // The acknowledged version, not the latest: a write in flight (or half-written) elsewhere is
        // not what its deployments read until it commits, and its own commit will restart them.
        Impact.Values fallback = (scope, key) -> fallbackEntries
                .computeIfAbsent(
                        scope,
                        s -> store.read(EntryPath.of(s), acknowledged.getOrDefault(s, 0))
                                .map(VersionedEntry::values)
                                .orElse(Map.of()))
                .get(key);
        Map<Scope, Impact.ScopeChange> scopeChanges = new HashMap<>();
        // Every touched key, not only the scope's own: a key another scope of the change-set
        // touches resolves to this scope's value when this scope is its source.
        byScope.forEach((scope, change) -> scopeChanges.put(
                scope,
                new Impact.ScopeChange(restrict(change.before(), touchedKeys), restrict(change.after(), touchedKeys))));
        Map<DeploymentRef, SortedSet<String>> affected = Impact.affected(
                inheriting.stream()
                        .map(d -> new Impact.Candidate<>(d, d.chain()))
                        .toList(),
                scopeChanges,
                touchedKeys,
                definedAt,
                fallback);
        if (affected.isEmpty()) {
            return List.of();
        }
        Set<Scope> affectedScopes = scopesOf(affected.keySet());
        Map<Scope, ScopeEntry> affectedEntries = new HashMap<>(entries);
        affectedEntries.keySet().retainAll(affectedScopes);
        Map<Scope, Map<String, Secret>> afterMetadata = liveKeysOf(affectedEntries);
        for (ValueChange change : changes) {
            afterMetadata = afterChange(
                    afterMetadata,
                    change.scope(),
                    change.touched(),
                    change.unchanged(),
                    change.after().keySet());
        }
        List<NewEvent> events = new ArrayList<>();
        Map<Scope, Map<String, Secret>> revisionMetadata = afterMetadata;
        affected.forEach((deployment, keys) -> events.add(new NewEvent(
                project.id(),
                deployment.deploymentId(),
                deployment.environment(),
                deployment.service(),
                SECRET_CHANGE,
                changeSetId,
                keys,
                revision(deployment.chain(), revisionMetadata),
                actor)));
        return events;
    }

    private static Set<Scope> scopesOf(Collection<DeploymentRef> deployments) {
        Set<Scope> scopes = new HashSet<>();
        deployments.forEach(deployment -> scopes.addAll(deployment.chain().scopes()));
        return scopes;
    }

    /** The scope entries that exist among {@code scopes}, by the unique index on their path. */
    private Map<Scope, ScopeEntry> entriesOf(Set<Scope> scopes) {
        Map<String, Scope> byPath = new HashMap<>();
        scopes.forEach(scope -> byPath.put(EntryPath.of(scope).path(), scope));
        Map<Scope, ScopeEntry> entries = new HashMap<>();
        scopeEntries
                .findByEntryPathIn(byPath.keySet())
                .forEach(entry -> entries.put(byPath.get(entry.entryPath()), entry));
        return entries;
    }

    /**
     * Which of the touched keys each scope but the changed ones defines: by ranges on the unique
     * (scope entry, key) index, {@link KeyRows#KEYS_PER_LOOKUP} names a lookup, so MariaDB does not
     * turn the list into a join that reads every key of the entries.
     */
    private Map<Scope, Set<String>> definedAt(
            Map<Scope, ScopeEntry> entries, Set<Scope> changed, Set<String> touchedKeys) {
        Map<Long, Scope> others = new HashMap<>();
        entries.forEach((scope, entry) -> {
            if (!changed.contains(scope)) {
                others.put(entry.id(), scope);
            }
        });
        Map<Scope, Set<String>> definedAt = new HashMap<>();
        if (others.isEmpty()) {
            return definedAt;
        }
        List<String> keys = List.copyOf(touchedKeys);
        for (int from = 0; from < keys.size(); from += KeyRows.KEYS_PER_LOOKUP) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KeyRows.KEYS_PER_LOOKUP));
            for (Secret secret : secrets.findByScopeEntryIdInAndKeyNameInAndDeletedFalse(others.keySet(), chunk)) {
                definedAt
                        .computeIfAbsent(others.get(secret.scopeEntryId()), s -> new HashSet<>())
                        .add(secret.keyName());
            }
        }
        return definedAt;
    }

    /**
     * The event a newly registered deployment owes: every key it resolves is new to it.
     * {@code deployment} is null for a dry run, before the deployment exists.
     */
    NewEvent registered(
            Project project, Deployment deployment, Environment environment, Service service, String actor) {
        ScopeChain chain = ScopeChain.forDeployment(
                project.slug(), environment.slug(), environment.environmentType(), service.slug());
        SortedMap<String, ScopeChain.Resolved<Secret>> resolved =
                chain.resolve(liveKeysOf(entriesOf(Set.copyOf(chain.scopes()))));
        return new NewEvent(
                project.id(),
                deployment == null ? null : deployment.id(),
                environment.slug(),
                service.slug(),
                "deployment-registered",
                null,
                new TreeSet<>(resolved.keySet()),
                ConfigRevision.of(resolved, Secret::version),
                actor);
    }

    /**
     * The events an environment's new type owes: each deployment in it restarts for the keys
     * whose source changes between the old type's scope and the new one. Values are not compared
     * here (that would call the value store inside the catalog's transaction), so a key defined
     * with the same value at both type scopes still counts as changed.
     */
    List<NewEvent> typeChanged(Project project, Environment before, Environment after, String actor) {
        Map<DeploymentRef, List<ScopeChain>> chains = new LinkedHashMap<>();
        for (DeploymentRef deployment : catalog.deploymentRefsOf(project)) {
            if (deployment.environment().equals(after.slug())) {
                chains.put(
                        deployment,
                        List.of(
                                ScopeChain.forDeployment(
                                        project.slug(), before.slug(), before.environmentType(), deployment.service()),
                                ScopeChain.forDeployment(
                                        project.slug(), after.slug(), after.environmentType(), deployment.service())));
            }
        }
        // The keys of the environment's chains under either type, not of the whole project.
        Set<Scope> scopes = new HashSet<>();
        chains.values().forEach(both -> both.forEach(chain -> scopes.addAll(chain.scopes())));
        Map<Scope, Map<String, Secret>> metadata = liveKeysOf(entriesOf(scopes));
        List<NewEvent> events = new ArrayList<>();
        for (Map.Entry<DeploymentRef, List<ScopeChain>> entry : chains.entrySet()) {
            DeploymentRef deployment = entry.getKey();
            ScopeChain oldChain = entry.getValue().get(0);
            ScopeChain newChain = entry.getValue().get(1);
            Map<String, ScopeChain.Resolved<Secret>> oldResolved = oldChain.resolve(metadata);
            SortedMap<String, ScopeChain.Resolved<Secret>> newResolved = newChain.resolve(metadata);
            SortedSet<String> keys = new TreeSet<>();
            Set<String> all = new HashSet<>(oldResolved.keySet());
            all.addAll(newResolved.keySet());
            for (String key : all) {
                ScopeChain.Resolved<Secret> was = oldResolved.get(key);
                ScopeChain.Resolved<Secret> now = newResolved.get(key);
                if (was == null
                        || now == null
                        || !was.source().scope().equals(now.source().scope())) {
                    keys.add(key);
                }
            }
            if (!keys.isEmpty()) {
                events.add(new NewEvent(
                        project.id(),
                        deployment.deploymentId(),
                        deployment.environment(),
                        deployment.service(),
                        "environment-type-changed",
                        null,
                        keys,
                        ConfigRevision.of(newResolved, Secret::version),
                        actor));
            }
        }
        return events;
    }

    /** Every live key of these entries, by scope: one query. */
    private Map<Scope, Map<String, Secret>> liveKeysOf(Map<Scope, ScopeEntry> entries) {
        Map<Long, Scope> scopes = new HashMap<>();
        entries.forEach((scope, entry) -> scopes.put(entry.id(), scope));
        return liveKeysById(scopes);
    }

    private Map<Scope, Map<String, Secret>> liveKeysById(Map<Long, Scope> scopes) {
        Map<Scope, Map<String, Secret>> metadata = new HashMap<>();
        if (scopes.isEmpty()) {
            return metadata;
        }
        for (Secret secret : secrets.findByScopeEntryIdInAndDeletedFalse(scopes.keySet())) {
            metadata.computeIfAbsent(scopes.get(secret.scopeEntryId()), s -> new HashMap<>())
                    .put(secret.keyName(), secret);
        }
        return metadata;
    }

    /**
     * Metadata as it will be once the change commits: touched keys at the scope get their next
     * version, except those set to the value they had, which the commit leaves at their version.
     */
    private static Map<Scope, Map<String, Secret>> afterChange(
            Map<Scope, Map<String, Secret>> metadata,
            Scope changed,
            Set<String> touchedKeys,
            Set<String> unchanged,
            Set<String> definedAfter) {
        Map<Scope, Map<String, Secret>> after = new HashMap<>(metadata);
        Map<String, Secret> atChanged = new HashMap<>(metadata.getOrDefault(changed, Map.of()));
        for (String key : touchedKeys) {
            if (unchanged.contains(key) && atChanged.containsKey(key)) {
                continue;
            }
            Secret current = atChanged.remove(key);
            if (definedAfter.contains(key)) {
                int nextVersion = current == null ? 1 : current.version() + 1;
                atChanged.put(key, new Secret(null, null, key, nextVersion, 0, false, null, null, null, null, null));
            }
        }
        after.put(changed, atChanged);
        return after;
    }

    private static String revision(ScopeChain chain, Map<Scope, Map<String, Secret>> metadata) {
        return ConfigRevision.of(chain.resolve(metadata), Secret::version);
    }

    private static Map<String, SecretValue> restrict(Map<String, SecretValue> values, Set<String> keys) {
        Map<String, SecretValue> restricted = new HashMap<>();
        keys.forEach(key -> {
            if (values.containsKey(key)) {
                restricted.put(key, values.get(key));
            }
        });
        return restricted;
    }
}
