package io.vaultgate.secret;

import io.vaultgate.scope.KeyNames;
import io.vaultgate.web.RestartMode;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.VersionedEntry;
import io.vaultgate.web.Quoting;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.vaultgate.dotenv.Dotenv;
import io.vaultgate.dotenv.DotenvException;
import io.vaultgate.project.Catalog;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.DryRun;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.JsonBodies;
import io.vaultgate.web.RequestIds;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The secret API behind the five scope route sets: parses and validates input, checks access,
 * and shapes answers. Every scope kind shares these methods, so the rules cannot drift apart.
 */
@Singleton
class SecretApi {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final SecretWriter writer;
    private final SecretReader reader;
    private final SecretRules rules;
    private final SecretValueStore store;
    private final Catalog catalog;
    private final List<SecretDeletionCheck> deletionChecks;
    private final SecretUsage usage;

    SecretApi(SecretWriter writer, SecretReader reader, SecretRules rules, SecretValueStore store, Catalog catalog,
              List<SecretDeletionCheck> deletionChecks, SecretUsage usage) {
        this.writer = writer;
        this.reader = reader;
        this.rules = rules;
        this.store = store;
        this.catalog = catalog;
        this.deletionChecks = deletionChecks;
        this.usage = usage;
    }

    record SetBody(String value, Integer expectedVersion) {
        @Override
        public String toString() {
            return "SetBody[value=redacted, expectedVersion=" + expectedVersion + "]";
        }
    }

    record RollbackBody(Integer version, Integer expectedVersion) {
    }

    SecretViews.SecretList list(Caller caller, Scope scope) {
        Access.requireProjectReader(caller, scope.project());
        List<Secret> secrets = reader.list(scope);
        Map<String, Integer> usageByKey = usage.deploymentsResolving(scope, secrets.stream().map(Secret::keyName).toList());
        return new SecretViews.SecretList(scope.apiPath(), scope.kind().wireName(), secrets.stream()
                .map(secret -> SecretViews.SecretView.of(scope, secret, usageByKey.get(secret.keyName())))
                .toList());
    }

    SecretViews.SecretView get(Caller caller, Scope scope, String key) {
        Access.requireProjectReader(caller, scope.project());
        return SecretViews.SecretView.of(scope, reader.require(scope, key),
                usage.deploymentsResolving(scope, List.of(key)).get(key));
    }

    HttpResponse<SecretViews.WriteView> set(HttpRequest<?> request, Caller caller, Scope scope, String key, String body) {
        Access.requireProjectAdmin(caller, scope.project());
        KeyNames.require(key);
        SetBody parsed = JsonBodies.parse(body, SetBody.class);
        requireNonNegative(parsed.expectedVersion(), "expectedVersion");
        SecretValue value = rules.requireValue(key, parsed.value());
        SecretWriter.Applied applied = writer.apply(changeRequest(request, caller, scope, "secret.set",
                List.of(new ChangeRequest.KeyChange(key, value, parsed.expectedVersion()))));
        return single(applied, scope);
    }

    HttpResponse<?> delete(HttpRequest<?> request, Caller caller, Scope scope, String key) {
        Access.requireProjectAdmin(caller, scope.project());
        KeyNames.require(key);
        Integer expectedVersion = request.getParameters().getFirst("expectedVersion")
                .map(text -> parseVersion("expectedVersion", text)).orElse(null);
        requireNoUnresolvedRequirement(request, scope, key);
        SecretWriter.Applied applied = writer.apply(changeRequest(request, caller, scope, "secret.delete",
                List.of(new ChangeRequest.KeyChange(key, null, expectedVersion))));
        return applied.dryRun() ? single(applied, scope) : HttpResponse.noContent();
    }

    SecretViews.History versions(Caller caller, Scope scope, String key) {
        Access.requireProjectReader(caller, scope.project());
        Secret secret = reader.requireWithHistory(scope, key);
        int oldestKept = store.oldestKeptVersion(EntryPath.of(scope));
        List<SecretViews.VersionView> versions = reader.history(secret).stream()
                .map(v -> new SecretViews.VersionView(v.version(), v.deleted(),
                        !v.deleted() && oldestKept > 0 && v.vaultVersion() >= oldestKept,
                        v.createdAt(), v.actor(), v.changeSetId()))
                .toList();
        return new SecretViews.History(key, scope.apiPath(), secret.version(), secret.deleted(), versions);
    }

    HttpResponse<SecretViews.WriteView> rollback(HttpRequest<?> request, Caller caller, Scope scope, String key,
                                                 String body) {
        Access.requireProjectAdmin(caller, scope.project());
        RollbackBody parsed = JsonBodies.parse(body, RollbackBody.class);
        if (parsed.version() == null || parsed.version() < 1) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "Give the version to roll back to, 1 or more.", "version");
        }
        requireNonNegative(parsed.expectedVersion(), "expectedVersion");
        Secret secret = reader.requireWithHistory(scope, key);
        SecretVersion target = reader.requireVersion(scope, secret, parsed.version());
        if (target.deleted()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "Version " + target.version() + " of " + key
                    + " is a deletion; to remove the key, delete it.", "version");
        }
        EntryPath path = EntryPath.of(scope);
        SecretValue value = store.read(path, target.vaultVersion())
                .map(VersionedEntry::values)
                .map(values -> values.get(key))
                .orElseThrow(() -> new ApiException(ErrorCode.VERSION_NOT_KEPT, "Version " + target.version() + " of "
                        + key + " at " + scope + " is no longer kept by the value store (it keeps the newest "
                        + "max_versions versions of a scope); its history row remains, its value is gone.", "version"));
        SecretWriter.Applied applied = writer.apply(changeRequest(request, caller, scope, "secret.rollback",
                List.of(new ChangeRequest.KeyChange(key, value, parsed.expectedVersion()))));
        return single(applied, scope);
    }

    HttpResponse<SecretViews.ImportView> importKeys(HttpRequest<?> request, Caller caller, Scope scope, String body) {
        Access.requireProjectAdmin(caller, scope.project());
        boolean dotenv = request.getContentType().map(type -> type.matches(MediaType.TEXT_PLAIN_TYPE)).orElse(false);
        // Both readers count keys and bytes as they read, so an oversized import is refused at the line or key
        // that crosses a limit, before the rest of it is built.
        Map<String, String> imported = dotenv ? dotenvKeys(body) : jsonKeys(request, body);
        if (imported.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "The import holds no keys.");
        }
        List<ChangeRequest.KeyChange> changes = new ArrayList<>();
        imported.forEach((key, value) -> changes.add(
                new ChangeRequest.KeyChange(KeyNames.require(key), rules.requireValue(key, value), null)));
        SecretWriter.Applied applied = writer.apply(changeRequest(request, caller, scope, "secret.import", changes));
        return HttpResponse.<SecretViews.ImportView>status(applied.replayed() || applied.dryRun() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new SecretViews.ImportView(applied.changeSetId(), scope.apiPath(),
                        keysWith(applied, Operation.CREATE), keysWith(applied, Operation.UPDATE),
                        keysWith(applied, Operation.UNCHANGED), applied.dryRun(), applied.replayed(),
                        SecretViews.RestartView.of(applied.restarts())));
    }

    /**
     * A .env file, read by the shared parser within the import limits; one bad line refuses it all,
     * naming the line, and a line that takes it past a limit answers that limit's code.
     */
    private Map<String, String> dotenvKeys(String body) {
        try {
            return Dotenv.parse(body == null ? "" : body, rules.dotenvLimits());
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

    private Map<String, String> jsonKeys(HttpRequest<?> request, String body) {
        if (request.getContentType().map(type -> !type.matches(MediaType.APPLICATION_JSON_TYPE)).orElse(false)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send a .env file with Content-Type: text/plain, "
                    + "or a JSON object of KEY to value with Content-Type: application/json.");
        }
        return JsonImport.read(body, rules);
    }

    SecretViews.Resolution resolved(Caller caller, String project, String environment, String service) {
        Access.requireProjectReader(caller, project);
        Catalog.DeploymentScopes deployment = catalog.requireDeployment(project, environment, service);
        SortedMap<String, ScopeChain.Resolved<Secret>> resolved = reader.resolve(deployment.chain());
        List<SecretViews.ResolvedKey> keys = resolved.values().stream()
                .map(r -> new SecretViews.ResolvedKey(r.key(), SecretViews.Source.of(r.source()),
                        r.overrides().stream().map(SecretViews.Source::of).toList()))
                .toList();
        return new SecretViews.Resolution(project, environment, deployment.environment().type(), service, keys);
    }

    /** Refuses a delete that would leave a deployment without a key it requires, unless {@code ?force=true}. */
    private void requireNoUnresolvedRequirement(HttpRequest<?> request, Scope scope, String key) {
        String force = request.getParameters().get("force");
        if (force != null && !force.equals("false") && !force.equals("true") && !force.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "force is true or false; got '" + Quoting.shorten(force)
                    + "'.", "force");
        }
        if (force != null && !force.equals("false")) {
            return;
        }
        List<String> deployments = new ArrayList<>();
        deletionChecks.forEach(check -> deployments.addAll(check.deploymentsLeftUnresolved(scope, key)));
        if (!deployments.isEmpty()) {
            throw new ApiException(ErrorCode.REQUIREMENT_UNRESOLVED, "Deleting " + key + " at " + scope
                    + " would leave it unresolved for " + String.join(", ", deployments)
                    + ", which require it; define it elsewhere first, or delete with ?force=true.", "key",
                    Map.of("key", key, "deployments", deployments));
        }
    }

    private static List<String> keysWith(SecretWriter.Applied applied, Operation operation) {
        return applied.keys().stream().filter(k -> k.operation() == operation)
                .map(ChangeLedger.KeyResult::key).sorted().toList();
    }

    private ChangeRequest changeRequest(HttpRequest<?> request, Caller caller, Scope scope, String action,
                                        List<ChangeRequest.KeyChange> changes) {
        String idempotencyKey = request.getHeaders().get(IDEMPOTENCY_KEY);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST,
                    "An Idempotency-Key is 1 to 255 characters.", IDEMPOTENCY_KEY);
        }
        return new ChangeRequest(scope, action, changes,
                Actor.of(caller, RequestIds.of(request)),
                idempotencyKey, request.getMethodName() + " " + request.getPath(), DryRun.requested(request),
                restartMode(request));
    }

    static RestartMode restartMode(HttpRequest<?> request) {
        String value = request.getParameters().get("restart");
        if (value == null || value.equals("events")) {
            return RestartMode.EVENTS;
        }
        if (value.equals("none")) {
            return RestartMode.NONE;
        }
        throw new ApiException(ErrorCode.INVALID_REQUEST, "restart is 'events' (the default) or 'none'; got '"
                + Quoting.shorten(value) + "'.", "restart");
    }

    private static HttpResponse<SecretViews.WriteView> single(SecretWriter.Applied applied, Scope scope) {
        ChangeLedger.KeyResult result = applied.keys().get(0);
        SecretViews.WriteView view = new SecretViews.WriteView(applied.changeSetId(), scope.apiPath(), result.key(),
                result.operation().name().toLowerCase(java.util.Locale.ROOT), applied.dryRun() ? null : result.version(),
                result.at(), applied.replayed(), applied.dryRun(), SecretViews.RestartView.of(applied.restarts()));
        return HttpResponse.<SecretViews.WriteView>status(result.operation() == Operation.CREATE && !applied.dryRun()
                ? HttpStatus.CREATED : HttpStatus.OK).body(view);
    }

    private static void requireNonNegative(Integer version, String field) {
        if (version != null && version < 0) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + " must be 0 or more; got " + version + ".", field);
        }
    }

    private static int parseVersion(String field, String text) {
        try {
            int version = Integer.parseInt(text);
            requireNonNegative(version, field);
            return version;
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST,
                    field + " must be a whole number; got '" + Quoting.shorten(text) + "'.", field);
        }
    }
}
