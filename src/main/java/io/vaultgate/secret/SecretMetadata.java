package io.vaultgate.secret;

import io.vaultgate.database.Transactions;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.values.EntryPath;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Secret metadata for other features (boot delivery, requirements): a deployment's resolution
 * (precedence stays in {@link ScopeChain}), where a key is defined, and the last-accessed times
 * delivery aggregates. Never a value.
 */
@Singleton
public class SecretMetadata {

    private final SecretReader reader;
    private final DeploymentKeysQuery deploymentKeys;
    private final Repositories.Secrets secrets;
    private final Transactions transactions;
    private final ChangeLedger ledger;

    SecretMetadata(
            SecretReader reader,
            DeploymentKeysQuery deploymentKeys,
            Repositories.Secrets secrets,
            Transactions transactions,
            ChangeLedger ledger) {
        this.reader = reader;
        this.deploymentKeys = deploymentKeys;
        this.secrets = secrets;
        this.transactions = transactions;
        this.ledger = ledger;
    }

    /**
     * Each key's live version at a scope, 0 when absent or deleted: what a write's
     * {@code expectedVersion} is compared with. One or two SQL statements.
     */
    public Map<String, Integer> liveVersions(Scope scope, Collection<String> keys) {
        return ledger.liveVersions(scope, keys);
    }

    /**
     * A key as the metadata knows it: its row, its version (what a config revision hashes) and
     * the KV entry version that holds its current value.
     */
    public record KeyVersion(long secretId, int version, int vaultVersion) {}

    /**
     * A registered deployment, its scope chain, how its keys resolve, and for each scope of the chain
     * that has an entry the entry version MySQL acknowledged: the one version known to hold every
     * acknowledged key of that scope (a newer one may be a write still between the two stores).
     */
    public record DeploymentKeys(
            DeploymentRef deployment,
            ScopeChain chain,
            SortedMap<String, ScopeChain.Resolved<KeyVersion>> resolved,
            Map<Scope, Integer> acknowledgedVersions) {}

    /** The keys a deployment with this chain resolves. One SQL statement. */
    public Set<String> resolvableKeys(ScopeChain chain) {
        return reader.resolve(chain).keySet();
    }

    /**
     * A deployment named by its slugs and its resolved keys, in one SQL statement (the whole
     * metadata cost of a boot fetch); empty when the deployment is not registered.
     */
    public Optional<DeploymentKeys> resolveDeployment(String project, String environment, String service) {
        return deploymentKeys.find(project, environment, service);
    }

    /** The scopes of a project where {@code key} is defined (and not deleted). One SQL statement. */
    public Set<Scope> scopesDefining(long projectId, String key) {
        return scopesDefining(projectId, Set.of(key)).getOrDefault(key, Set.of());
    }

    /** For each of these keys defined (and not deleted) in a project, the scopes defining it. One SQL statement. */
    public Map<String, Set<Scope>> scopesDefining(long projectId, Collection<String> keys) {
        Map<String, Set<Scope>> scopesByKey = new HashMap<>();
        if (keys.isEmpty()) {
            return scopesByKey;
        }
        for (Repositories.SecretAtPath row : secrets.findLiveByProjectIdAndKeyNameIn(projectId, keys)) {
            scopesByKey
                    .computeIfAbsent(row.keyName(), k -> new HashSet<>())
                    .add(new EntryPath(row.entryPath()).scope());
        }
        return scopesByKey;
    }

    /** Every key defined (and not deleted) in a project, with the scopes defining it. One SQL statement. */
    public Map<String, Set<Scope>> scopesOfEveryKey(long projectId) {
        Map<String, Set<Scope>> scopesByKey = new HashMap<>();
        for (Repositories.SecretAtPath row : secrets.findLiveByProjectId(projectId)) {
            scopesByKey
                    .computeIfAbsent(row.keyName(), k -> new HashSet<>())
                    .add(new EntryPath(row.entryPath()).scope());
        }
        return scopesByKey;
    }

    /**
     * Moves each secret's last-accessed time forward to the given instant (never backward), in
     * one transaction of one batched statement per distinct instant.
     */
    public void recordAccess(Map<Long, Instant> lastAccessBySecretId) {
        if (lastAccessBySecretId.isEmpty()) {
            return;
        }
        Map<Instant, Set<Long>> byInstant = new TreeMap<>();
        lastAccessBySecretId.forEach(
                (id, at) -> byInstant.computeIfAbsent(at, a -> new HashSet<>()).add(id));
        transactions.executeWrite(status -> {
            byInstant.forEach((at, ids) -> secrets.touchLastAccessed(ids, at));
            return null;
        });
    }
}
