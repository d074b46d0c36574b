package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.audit.Outcome;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.project.Environment;
import io.vaultgate.project.Project;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.scope.Slugs;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.VersionedEntry;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two environments of a project the way their deployments see them: service by service,
 * each key as the deployment resolves it ({@link ScopeChain}). A fixed number of SQL statements
 * whatever the number of services and keys: the project, the two environments (and the service),
 * the deployments of each environment, and the live keys of every scope their chains hold. With
 * {@code values=true} (admins only, audited) one statement more for the acknowledged entry
 * versions, then one value-store read per scope entry that is a source of a key compared, at
 * that version; values are compared here and go no further.
 */
@Singleton
class EnvironmentDiff {

    static final String COMPARE_VALUES = "diff.compare-values";

    private final Catalog catalog;
    private final Repositories.Secrets secrets;
    private final Repositories.ScopeEntries scopeEntries;
    private final SecretValueStore store;
    private final Transactions transactions;
    private final AuditLog audit;

    EnvironmentDiff(
            Catalog catalog,
            Repositories.Secrets secrets,
            Repositories.ScopeEntries scopeEntries,
            SecretValueStore store,
            Transactions transactions,
            AuditLog audit) {
        this.catalog = catalog;
        this.secrets = secrets;
        this.scopeEntries = scopeEntries;
        this.store = store;
        this.transactions = transactions;
        this.audit = audit;
    }

    /** What was asked: two environments, perhaps one service, and whether to compare values. */
    record Request(
            String project,
            String from,
            String to,
            @Nullable String service,
            boolean values) {}

    DiffViews.Comparison compare(Caller caller, Actor actor, Request request) {
        Access.requireProjectReader(caller, request.project());
        Slugs.require("from", request.from());
        Slugs.require("to", request.to());
        if (request.from().equals(request.to())) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "from and to both name environment '" + request.from() + "'; compare two different environments.",
                    "to");
        }
        if (request.service() != null) {
            Slugs.require("service", request.service());
        }
        Project project = catalog.requireProject(request.project());
        if (request.values()) {
            requireValueComparison(caller, actor, project, request);
        }
        Environment from = catalog.requireEnvironment(project, request.from());
        Environment to = catalog.requireEnvironment(project, request.to());
        if (request.service() != null) {
            catalog.requireService(project, request.service());
        }
        Map<String, DeploymentRef> fromDeployments = byService(catalog.deploymentsIn(project, from.slug()), request);
        Map<String, DeploymentRef> toDeployments = byService(catalog.deploymentsIn(project, to.slug()), request);
        // Only the services deployed on both sides have keys to compare.
        Set<Scope> scopes = new HashSet<>();
        fromDeployments.forEach((service, inFrom) -> {
            DeploymentRef inTo = toDeployments.get(service);
            if (inTo != null) {
                scopes.addAll(inFrom.chain().scopes());
                scopes.addAll(inTo.chain().scopes());
            }
        });
        Metadata metadata = metadata(scopes, request.values());

        Comparing comparing = new Comparing();
        SortedSet<String> services = new TreeSet<>(fromDeployments.keySet());
        services.addAll(toDeployments.keySet());
        for (String service : services) {
            DeploymentRef inFrom = fromDeployments.get(service);
            DeploymentRef inTo = toDeployments.get(service);
            if (inFrom == null || inTo == null) {
                comparing.oneSided(service, inFrom != null ? DiffViews.FROM : DiffViews.TO);
            } else {
                comparing.both(
                        service,
                        inFrom.chain().resolve(metadata.keysByScope()),
                        inTo.chain().resolve(metadata.keysByScope()));
            }
        }
        Map<PendingKey, Boolean> equality = Map.of();
        if (request.values()) {
            equality = equality(comparing.toCompare, metadata.acknowledged());
            audit(AuditEntry.of(project.id(), actor, COMPARE_VALUES, auditedScope(request))
                    .keys(comparing.toCompare.stream()
                            .map(PendingKey::key)
                            .collect(TreeSet::new, Set::add, Set::addAll)));
        }
        return comparing.view(request, from, to, equality);
    }

    /** A deployer's values=true is refused, and the refusal audited: it asked to learn about values. */
    private void requireValueComparison(Caller caller, Actor actor, Project project, Request request) {
        try {
            Access.requireValueComparison(caller, request.project());
        } catch (ApiException refused) {
            audit(AuditEntry.of(project.id(), actor, COMPARE_VALUES, auditedScope(request))
                    .ended(Outcome.REFUSED, refused.errorCode()));
            throw refused;
        }
    }

    private void audit(AuditEntry entry) {
        // Through the runner, not in autocommit: Galera may fail any statement's commit with 1213.
        transactions.executeWrite(status -> {
            audit.record(entry);
            return null;
        });
    }

    private static String auditedScope(Request request) {
        return "/v1/projects/" + request.project() + "/diff?from=" + request.from() + "&to=" + request.to()
                + (request.service() == null ? "" : "&service=" + request.service());
    }

    private static Map<String, DeploymentRef> byService(List<DeploymentRef> deployments, Request request) {
        Map<String, DeploymentRef> byService = new HashMap<>();
        deployments.stream()
                .filter(d -> request.service() == null || d.service().equals(request.service()))
                .forEach(d -> byService.put(d.service(), d));
        return byService;
    }

    /**
     * @param acknowledged each scope entry's acknowledged version; read only for a value comparison
     */
    private record Metadata(Map<Scope, Map<String, Secret>> keysByScope, Map<Scope, Integer> acknowledged) {}

    /**
     * The live keys of these scopes and, for a value comparison, their entries' acknowledged
     * versions, in one read-only transaction: the versions are those of the keys read, not of a
     * write that committed in between.
     */
    private Metadata metadata(Set<Scope> scopes, boolean withVersions) {
        if (scopes.isEmpty()) {
            return new Metadata(Map.of(), Map.of());
        }
        Map<String, Scope> byPath = new HashMap<>();
        scopes.forEach(scope -> byPath.put(EntryPath.of(scope).path(), scope));
        if (!withVersions) {
            return new Metadata(liveKeys(byPath), Map.of());
        }
        return transactions.executeRead(status -> {
            Map<Scope, Map<String, Secret>> keys = liveKeys(byPath);
            Map<Scope, Integer> acknowledged = new HashMap<>();
            scopeEntries
                    .findByEntryPathIn(byPath.keySet())
                    .forEach(entry -> acknowledged.put(byPath.get(entry.entryPath()), entry.vaultVersion()));
            return new Metadata(keys, acknowledged);
        });
    }

    private Map<Scope, Map<String, Secret>> liveKeys(Map<String, Scope> byPath) {
        Map<Scope, Map<String, Secret>> keys = new HashMap<>();
        for (Repositories.SecretAtPath row : secrets.findLiveByEntryPathIn(byPath.keySet())) {
            keys.computeIfAbsent(byPath.get(row.entryPath()), s -> new HashMap<>())
                    .put(row.keyName(), row.secret());
        }
        return keys;
    }

    /** A key of one service that both sides resolve from different scopes: its values are compared. */
    private record PendingKey(String service, String key, Scope fromScope, Scope toScope) {}

    /**
     * Whether each pending key's two values are equal. Each scope entry is read once, at the
     * version MySQL acknowledged: the values its deployments boot with, not a write in flight.
     */
    private Map<PendingKey, Boolean> equality(List<PendingKey> pending, Map<Scope, Integer> acknowledged) {
        Map<Scope, Map<String, SecretValue>> entries = new HashMap<>();
        Map<PendingKey, Boolean> equal = new HashMap<>();
        for (PendingKey key : pending) {
            SecretValue from = valueOf(entries, acknowledged, key.fromScope(), key.key());
            SecretValue to = valueOf(entries, acknowledged, key.toScope(), key.key());
            equal.put(key, from.plaintext().equals(to.plaintext()));
        }
        return equal;
    }

    private SecretValue valueOf(
            Map<Scope, Map<String, SecretValue>> entries, Map<Scope, Integer> acknowledged, Scope scope, String key) {
        EntryPath path = EntryPath.of(scope);
        Map<String, SecretValue> values = entries.computeIfAbsent(scope, s -> {
            int version = acknowledged.getOrDefault(s, 0);
            return store.read(path, version)
                    .map(VersionedEntry::values)
                    .orElseThrow(() -> new ValueStoreException(
                            "acknowledged version " + version + " of entry " + path + " is not readable"));
        });
        SecretValue value = values.get(key);
        if (value == null) {
            throw new ValueStoreException(
                    "the acknowledged version of entry " + path + " does not hold key " + key + " its metadata names");
        }
        return value;
    }

    /** The comparison as it is built, service by service. */
    private static final class Comparing {

        private final Map<String, String> deployedIn = new TreeMap<>();
        private final Map<String, List<Row>> rows = new TreeMap<>();
        private final List<PendingKey> toCompare = new ArrayList<>();

        private record Row(
                String key,
                @Nullable ScopeChain.Defined<Secret> from,
                @Nullable ScopeChain.Defined<Secret> to,
                @Nullable PendingKey pending) {}

        void oneSided(String service, String side) {
            deployedIn.put(service, side);
            rows.put(service, List.of());
        }

        void both(
                String service,
                SortedMap<String, ScopeChain.Resolved<Secret>> from,
                SortedMap<String, ScopeChain.Resolved<Secret>> to) {
            deployedIn.put(service, DiffViews.BOTH);
            SortedSet<String> keys = new TreeSet<>(from.keySet());
            keys.addAll(to.keySet());
            List<Row> serviceRows = new ArrayList<>();
            for (String key : keys) {
                ScopeChain.Defined<Secret> fromSource =
                        from.containsKey(key) ? from.get(key).source() : null;
                ScopeChain.Defined<Secret> toSource =
                        to.containsKey(key) ? to.get(key).source() : null;
                PendingKey pending = null;
                if (fromSource != null
                        && toSource != null
                        && !fromSource.scope().equals(toSource.scope())) {
                    pending = new PendingKey(service, key, fromSource.scope(), toSource.scope());
                    toCompare.add(pending);
                }
                serviceRows.add(new Row(key, fromSource, toSource, pending));
            }
            rows.put(service, serviceRows);
        }

        DiffViews.Comparison view(
                Request request, Environment from, Environment to, Map<PendingKey, Boolean> equality) {
            int onlyInFrom = 0;
            int onlyInTo = 0;
            int differentSources = 0;
            int sameSource = 0;
            int unequal = 0;
            List<DiffViews.ServiceDiff> services = new ArrayList<>();
            for (Map.Entry<String, String> service : deployedIn.entrySet()) {
                List<DiffViews.KeyDiff> keys = new ArrayList<>();
                for (Row row : rows.get(service.getKey())) {
                    String onlyIn = null;
                    boolean same = false;
                    Boolean equal = null;
                    if (row.to() == null) {
                        onlyIn = DiffViews.FROM;
                        onlyInFrom++;
                    } else if (row.from() == null) {
                        onlyIn = DiffViews.TO;
                        onlyInTo++;
                    } else if (row.pending() == null) {
                        same = true;
                        sameSource++;
                        equal = request.values() ? true : null;
                    } else {
                        differentSources++;
                        if (request.values()) {
                            equal = equality.get(row.pending());
                            unequal += equal ? 0 : 1;
                        }
                    }
                    keys.add(new DiffViews.KeyDiff(
                            row.key(),
                            onlyIn,
                            row.from() == null ? null : SecretViews.Source.of(row.from()),
                            row.to() == null ? null : SecretViews.Source.of(row.to()),
                            same,
                            equal));
                }
                services.add(new DiffViews.ServiceDiff(service.getKey(), service.getValue(), keys));
            }
            DiffViews.Summary summary = new DiffViews.Summary(
                    count(DiffViews.BOTH),
                    count(DiffViews.FROM),
                    count(DiffViews.TO),
                    onlyInFrom,
                    onlyInTo,
                    differentSources,
                    sameSource,
                    request.values() ? unequal : null);
            return new DiffViews.Comparison(
                    request.project(),
                    new DiffViews.Side(from.slug(), from.type()),
                    new DiffViews.Side(to.slug(), to.type()),
                    request.service(),
                    request.values(),
                    summary,
                    services);
        }

        private int count(String side) {
            return (int) deployedIn.values().stream().filter(side::equals).count();
        }
    }
}
