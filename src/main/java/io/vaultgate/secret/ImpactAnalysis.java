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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns one change-set into the restart events it owes: loads the project's deployments and
 * secret metadata once, lets {@link Impact} decide who really changes, and computes each
 * affected deployment's config revision after the change. Reads values only from the value
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

    /** The events {@code change} owes to the project's deployments whose resolved values it changes. */
    List<NewEvent> eventsFor(Project project, ValueChange change, String changeSetId, String actor) {
        Scope changed = change.scope();
        Set<String> touchedKeys = change.touched();
        List<DeploymentRef> deployments = catalog.deploymentRefsOf(project);
        List<ScopeEntry> entries = scopeEntries.findByProjectId(project.id());
        Map<Scope, Map<String, Secret>> metadata = metadataOf(entries);
        Map<Scope, Integer> acknowledged = new HashMap<>();
        entries.forEach(entry -> acknowledged.put(new EntryPath(entry.entryPath()).scope(), entry.vaultVersion()));
        Map<Scope, Set<String>> definedAt = new HashMap<>();
        metadata.forEach((scope, keys) -> {
            if (!scope.equals(changed)) {
                definedAt.put(
                        scope,
                        keys.keySet().stream().filter(touchedKeys::contains).collect(Collectors.toSet()));
            }
        });
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
        Map<DeploymentRef, SortedSet<String>> affected = Impact.affected(
                deployments.stream()
                        .map(d -> new Impact.Candidate<>(d, d.chain()))
                        .toList(),
                changed,
                touchedKeys,
                restrict(change.before(), touchedKeys),
                restrict(change.after(), touchedKeys),
                definedAt,
                fallback);
        Map<Scope, Map<String, Secret>> afterMetadata =
                afterChange(metadata, changed, touchedKeys, change.after().keySet());
        List<NewEvent> events = new ArrayList<>();
        affected.forEach((deployment, keys) -> events.add(new NewEvent(
                project.id(),
                deployment.deploymentId(),
                deployment.environment(),
                deployment.service(),
                SECRET_CHANGE,
                changeSetId,
                keys,
                revision(deployment.chain(), afterMetadata),
                actor)));
        return events;
    }

    /**
     * The event a newly registered deployment owes: every key it resolves is new to it.
     * {@code deployment} is null for a dry run, before the deployment exists.
     */
    NewEvent registered(
            Project project, Deployment deployment, Environment environment, Service service, String actor) {
        ScopeChain chain = ScopeChain.forDeployment(
                project.slug(), environment.slug(), environment.environmentType(), service.slug());
        SortedMap<String, ScopeChain.Resolved<Secret>> resolved = chain.resolve(metadataOf(project));
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
        Map<Scope, Map<String, Secret>> metadata = metadataOf(project);
        List<NewEvent> events = new ArrayList<>();
        for (DeploymentRef deployment : catalog.deploymentRefsOf(project)) {
            if (!deployment.environment().equals(after.slug())) {
                continue;
            }
            ScopeChain oldChain = ScopeChain.forDeployment(
                    project.slug(), before.slug(), before.environmentType(), deployment.service());
            ScopeChain newChain = ScopeChain.forDeployment(
                    project.slug(), after.slug(), after.environmentType(), deployment.service());
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

    /** Every live key of the project, by scope: one query for the entries, one for the keys. */
    private Map<Scope, Map<String, Secret>> metadataOf(Project project) {
        return metadataOf(scopeEntries.findByProjectId(project.id()));
    }

    private Map<Scope, Map<String, Secret>> metadataOf(List<ScopeEntry> projectEntries) {
        // Each entry's path parsed once, not once for each of its keys.
        Map<Long, Scope> scopes = projectEntries.stream()
                .collect(Collectors.toMap(ScopeEntry::id, entry -> new EntryPath(entry.entryPath()).scope()));
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

    /** Metadata as it will be once the change commits: touched keys at the scope get their next version. */
    private static Map<Scope, Map<String, Secret>> afterChange(
            Map<Scope, Map<String, Secret>> metadata,
            Scope changed,
            Set<String> touchedKeys,
            Set<String> definedAfter) {
        Map<Scope, Map<String, Secret>> after = new HashMap<>(metadata);
        Map<String, Secret> atChanged = new HashMap<>(metadata.getOrDefault(changed, Map.of()));
        for (String key : touchedKeys) {
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
