package io.vaultgate.secret;

import io.vaultgate.access.Access;
import io.vaultgate.access.Caller;
import io.vaultgate.dotenv.Dotenv;
import io.vaultgate.dotenv.DotenvException;
import io.vaultgate.project.Catalog;
import io.vaultgate.scope.KeyNames;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.VersionedEntry;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The secret operations behind the one route set, alike at all five scopes: checks access and
 * input, hands writes to the write protocol and shapes answers. It knows nothing of HTTP: the
 * controller binds the scope, the caller, the flags and the body, and picks the status.
 */
@Singleton
public class SecretService {

    private final SecretWriter writer;
    private final SecretReader reader;
    private final SecretRules rules;
    private final SecretValueStore store;
    private final Catalog catalog;
    private final List<SecretDeletionCheck> deletionChecks;
    private final SecretUsage usage;
    private final ChangeLedger ledger;
    private final DraftStaging staging;

    SecretService(
            SecretWriter writer,
            SecretReader reader,
            SecretRules rules,
            SecretValueStore store,
            Catalog catalog,
            List<SecretDeletionCheck> deletionChecks,
            SecretUsage usage,
            ChangeLedger ledger,
            DraftStaging staging) {
        this.writer = writer;
        this.reader = reader;
        this.rules = rules;
        this.store = store;
        this.catalog = catalog;
        this.deletionChecks = deletionChecks;
        this.usage = usage;
        this.ledger = ledger;
        this.staging = staging;
    }

    public SecretViews.SecretList list(Caller caller, Scope scope) {
        Access.requireProjectReader(caller, scope.project());
        List<Secret> secrets = reader.list(scope);
        Map<String, Integer> usageByKey = usage.deploymentsResolving(
                scope, secrets.stream().map(Secret::keyName).toList());
        return new SecretViews.SecretList(
                scope.apiPath(),
                scope.kind().wireName(),
                secrets.stream()
                        .map(secret -> SecretViews.SecretView.of(scope, secret, usageByKey.get(secret.keyName())))
                        .toList());
    }

    public SecretViews.SecretView get(Caller caller, Scope scope, String key) {
        Access.requireProjectReader(caller, scope.project());
        return SecretViews.SecretView.of(
                scope,
                reader.require(scope, key),
                usage.deploymentsResolving(scope, List.of(key)).get(key));
    }

    public SecretViews.WriteView set(SecretWrite write, Scope scope, String key, SecretBodies.SetBody body) {
        return single(
                writer.apply(changeRequest(
                        write,
                        scope,
                        "secret.set",
                        "PUT " + secretPath(scope, key),
                        setChanges(write, scope, key, body))),
                scope);
    }

    /** {@code PUT …/secrets/{KEY}?changeSet={id}}: checked like the write, then staged into the draft. */
    public DraftStaging.Staged stageSet(SecretWrite write, Scope scope, String key, SecretBodies.SetBody body) {
        return stage(write, scope, "PUT " + secretPath(scope, key), setChanges(write, scope, key, body));
    }

    private List<ChangeRequest.KeyChange> setChanges(
            SecretWrite write, Scope scope, String key, SecretBodies.SetBody body) {
        Access.requireProjectAdmin(write.caller(), scope.project());
        KeyNames.require(key);
        requireNonNegative(body.expectedVersion(), "expectedVersion");
        SecretValue value = rules.requireValue(key, body.value());
        return List.of(new ChangeRequest.KeyChange(key, value, body.expectedVersion()));
    }

    /** @return the answer of a dry run; empty for a real delete, which answers nothing */
    public Optional<SecretViews.WriteView> delete(SecretWrite write, Scope scope, String key, Integer expectedVersion) {
        SecretWriter.Applied applied = writer.apply(changeRequest(
                write,
                scope,
                "secret.delete",
                "DELETE " + secretPath(scope, key),
                deleteChanges(write, scope, key, expectedVersion)));
        return applied.dryRun() ? Optional.of(single(applied, scope)) : Optional.empty();
    }

    /** {@code DELETE …/secrets/{KEY}?changeSet={id}}: checked like the delete, then staged into the draft. */
    public DraftStaging.Staged stageDelete(SecretWrite write, Scope scope, String key, Integer expectedVersion) {
        return stage(
                write, scope, "DELETE " + secretPath(scope, key), deleteChanges(write, scope, key, expectedVersion));
    }

    private List<ChangeRequest.KeyChange> deleteChanges(
            SecretWrite write, Scope scope, String key, Integer expectedVersion) {
        Access.requireProjectAdmin(write.caller(), scope.project());
        KeyNames.require(key);
        requireNonNegative(expectedVersion, "expectedVersion");
        if (!write.flags().force()) {
            requireNoUnresolvedRequirement(scope, key);
        }
        return List.of(new ChangeRequest.KeyChange(key, null, expectedVersion));
    }

    public SecretViews.History versions(Caller caller, Scope scope, String key) {
        Access.requireProjectReader(caller, scope.project());
        Secret secret = reader.requireWithHistory(scope, key);
        int oldestKept = store.oldestKeptVersion(EntryPath.of(scope));
        List<SecretViews.VersionView> versions = reader.history(secret).stream()
                .map(v -> new SecretViews.VersionView(
                        v.version(),
                        v.deleted(),
                        !v.deleted() && oldestKept > 0 && v.vaultVersion() >= oldestKept,
                        v.createdAt(),
                        v.actor(),
                        v.changeSetId()))
                .toList();
        return new SecretViews.History(key, scope.apiPath(), secret.version(), secret.deleted(), versions);
    }

    public SecretViews.WriteView rollback(SecretWrite write, Scope scope, String key, SecretBodies.RollbackBody body) {
        return single(
                writer.apply(changeRequest(
                        write,
                        scope,
                        "secret.rollback",
                        "POST " + secretPath(scope, key) + "/rollback",
                        rollbackChanges(write, scope, key, body))),
                scope);
    }

    /** {@code POST …/secrets/{KEY}/rollback?changeSet={id}}: the old value, checked like the rollback, staged. */
    public DraftStaging.Staged stageRollback(
            SecretWrite write, Scope scope, String key, SecretBodies.RollbackBody body) {
        return stage(
                write, scope, "POST " + secretPath(scope, key) + "/rollback", rollbackChanges(write, scope, key, body));
    }

    private List<ChangeRequest.KeyChange> rollbackChanges(
            SecretWrite write, Scope scope, String key, SecretBodies.RollbackBody body) {
        Access.requireProjectAdmin(write.caller(), scope.project());
        if (body.version() == null || body.version() < 1) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST, "Give the version to roll back to, 1 or more.", "version");
        }
        requireNonNegative(body.expectedVersion(), "expectedVersion");
        Secret secret = reader.requireWithHistory(scope, key);
        SecretVersion target = reader.requireVersion(scope, secret, body.version());
        if (target.deleted()) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "Version " + target.version() + " of " + key + " is a deletion; to remove the key, delete it.",
                    "version");
        }
        SecretValue value = store.read(EntryPath.of(scope), target.vaultVersion())
                .map(VersionedEntry::values)
                .map(values -> values.get(key))
                .orElseThrow(() -> new ApiException(
                        ErrorCode.VERSION_NOT_KEPT,
                        "Version " + target.version() + " of "
                                + key + " at " + scope + " is no longer kept by the value store (it keeps the newest "
                                + "max_versions versions of a scope); its history row remains, its value is gone.",
                        "version"));
        return List.of(new ChangeRequest.KeyChange(key, value, body.expectedVersion()));
    }

    /** An import of a JSON object of KEY to value, its names, values and limits checked as it was read. */
    SecretViews.ImportView importJson(SecretWrite write, Scope scope, ImportedKeys imported) {
        Access.requireProjectAdmin(write.caller(), scope.project());
        return importKeys(write, scope, imported.keys());
    }

    /** {@code POST …/import?changeSet={id}} of a JSON object: checked like the import, then staged. */
    DraftStaging.Staged stageImportJson(SecretWrite write, Scope scope, ImportedKeys imported) {
        Access.requireProjectAdmin(write.caller(), scope.project());
        return stage(write, scope, importRoute(scope), importChanges(imported.keys()));
    }

    /** {@code POST …/import?changeSet={id}} of a .env file: parsed and checked like the import, then staged. */
    public DraftStaging.Staged stageImportDotenv(SecretWrite write, Scope scope, String file) {
        Access.requireProjectAdmin(write.caller(), scope.project());
        return stage(write, scope, importRoute(scope), importChanges(parseDotenv(file)));
    }

    /**
     * An import of a .env file, read by the shared parser within the import limits: one bad line
     * refuses it all, naming the line, and a line that takes it past a limit answers that limit's code.
     */
    public SecretViews.ImportView importDotenv(SecretWrite write, Scope scope, String file) {
        Access.requireProjectAdmin(write.caller(), scope.project());
        return importKeys(write, scope, parseDotenv(file));
    }

    private Map<String, String> parseDotenv(String file) {
        try {
            return Dotenv.parse(file == null ? "" : file, rules.dotenvLimits());
        } catch (DotenvException e) {
            ErrorCode code = switch (e.kind()) {
                case INVALID -> ErrorCode.INVALID_DOTENV;
                case VALUE_TOO_LARGE -> ErrorCode.VALUE_TOO_LARGE;
                case TOTAL_TOO_LARGE -> ErrorCode.SCOPE_TOO_LARGE;
                case TOO_MANY_KEYS -> ErrorCode.TOO_MANY_KEYS;
            };
            throw new ApiException(code, e.getMessage(), null, Map.of("line", e.line()));
        }
    }

    private List<ChangeRequest.KeyChange> importChanges(Map<String, String> imported) {
        if (imported.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "The import holds no keys.");
        }
        List<ChangeRequest.KeyChange> changes = new ArrayList<>();
        imported.forEach((key, value) ->
                changes.add(new ChangeRequest.KeyChange(KeyNames.require(key), rules.requireValue(key, value), null)));
        return changes;
    }

    private static String importRoute(Scope scope) {
        return "POST " + scope.apiPath() + "/import";
    }

    /**
     * Stages validated changes into the draft the request names: the scope must exist, and each
     * key's expectedVersion (when sent) and existence (for a delete) are checked against the live
     * state now, as the write would check them; what is recorded is the version reviewed.
     */
    private DraftStaging.Staged stage(
            SecretWrite write, Scope scope, String route, List<ChangeRequest.KeyChange> changes) {
        if (write.flags().dryRun()) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "A staged change is not applied, so it has no dry run: send changeSet or dryRun, not both.",
                    "dryRun");
        }
        catalog.requireScope(scope);
        ledger.preview(scope, changes);
        Map<String, Integer> live = ledger.liveVersions(
                scope, changes.stream().map(ChangeRequest.KeyChange::key).toList());
        List<DraftStaging.Key> keys = changes.stream()
                .map(c -> new DraftStaging.Key(
                        c.key(),
                        c.value(),
                        c.expectedVersion() != null ? c.expectedVersion() : live.get(c.key()),
                        c.value() == null && write.flags().force()))
                .toList();
        return staging.stage(new DraftStaging.Request(
                write.changeSet(),
                scope,
                write.caller(),
                write.actor(),
                route,
                write.idempotencyKey(),
                keys,
                writer.unchangedKeys(scope, changes)));
    }

    private SecretViews.ImportView importKeys(SecretWrite write, Scope scope, Map<String, String> imported) {
        SecretWriter.Applied applied =
                writer.apply(changeRequest(write, scope, "secret.import", importRoute(scope), importChanges(imported)));
        return new SecretViews.ImportView(
                applied.changeSetId(),
                scope.apiPath(),
                keysWith(applied, Operation.CREATE),
                keysWith(applied, Operation.UPDATE),
                keysWith(applied, Operation.UNCHANGED),
                applied.dryRun(),
                applied.replayed(),
                SecretViews.RestartView.of(applied.restarts()));
    }

    public SecretViews.Resolution resolved(Caller caller, Scope deployment) {
        Access.requireProjectReader(caller, deployment.project());
        Catalog.DeploymentScopes found =
                catalog.requireDeployment(deployment.project(), deployment.environment(), deployment.service());
        SortedMap<String, ScopeChain.Resolved<Secret>> resolved = reader.resolve(found.chain());
        List<SecretViews.ResolvedKey> keys = resolved.values().stream()
                .map(r -> new SecretViews.ResolvedKey(
                        r.key(),
                        SecretViews.Source.of(r.source()),
                        r.overrides().stream().map(SecretViews.Source::of).toList()))
                .toList();
        return new SecretViews.Resolution(
                deployment.project(),
                deployment.environment(),
                found.environment().type(),
                deployment.service(),
                keys);
    }

    /**
     * Refuses deleting {@code key} at {@code scope} when a deployment requires it and would then
     * resolve it nowhere (409 {@code requirement-unresolved}); a release repeats it for every
     * delete staged without {@code force}.
     */
    public void requireNoUnresolvedRequirement(Scope scope, String key) {
        List<String> deployments = new ArrayList<>();
        deletionChecks.forEach(check -> deployments.addAll(check.deploymentsLeftUnresolved(scope, key)));
        if (!deployments.isEmpty()) {
            throw new ApiException(
                    ErrorCode.REQUIREMENT_UNRESOLVED,
                    "Deleting " + key + " at " + scope
                            + " would leave it unresolved for " + String.join(", ", deployments)
                            + ", which require it; define it elsewhere first, or delete with ?force=true.",
                    "key",
                    Map.of("key", key, "deployments", deployments));
        }
    }

    private static List<String> keysWith(SecretWriter.Applied applied, Operation operation) {
        return applied.keys().stream()
                .filter(k -> k.operation() == operation)
                .map(ChangeLedger.KeyResult::key)
                .sorted()
                .toList();
    }

    /**
     * @param route method and path the Idempotency-Key is bound to: a retry with the same key and
     *              another route is refused rather than answered with the first result
     */
    private static ChangeRequest changeRequest(
            SecretWrite write, Scope scope, String action, String route, List<ChangeRequest.KeyChange> changes) {
        return new ChangeRequest(
                scope,
                action,
                changes,
                write.actor(),
                write.idempotencyKey(),
                route,
                write.flags().dryRun(),
                write.flags().restart());
    }

    private static String secretPath(Scope scope, String key) {
        return scope.apiPath() + "/secrets/" + key;
    }

    private static SecretViews.WriteView single(SecretWriter.Applied applied, Scope scope) {
        ChangeLedger.KeyResult result = applied.keys().get(0);
        return new SecretViews.WriteView(
                applied.changeSetId(),
                scope.apiPath(),
                result.key(),
                result.operation().wireName(),
                applied.dryRun() ? null : result.version(),
                result.at(),
                applied.replayed(),
                applied.dryRun(),
                SecretViews.RestartView.of(applied.restarts()));
    }

    private static void requireNonNegative(Integer version, String field) {
        if (version != null && version < 0) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST, field + " must be 0 or more; got " + version + ".", field);
        }
    }
}
