package io.vaultgate.secret;

import io.vaultgate.project.Catalog;
import io.vaultgate.scope.KeyNames;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.values.EntryPath;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Metadata reads: a scope's keys, one key, its history, and a deployment's resolution. Never values. */
@Singleton
class SecretReader {

    private final Catalog catalog;
    private final Repositories.ScopeEntries scopeEntries;
    private final Repositories.Secrets secrets;
    private final Repositories.SecretVersions versions;

    SecretReader(
            Catalog catalog,
            Repositories.ScopeEntries scopeEntries,
            Repositories.Secrets secrets,
            Repositories.SecretVersions versions) {
        this.catalog = catalog;
        this.scopeEntries = scopeEntries;
        this.secrets = secrets;
        this.versions = versions;
    }

    List<Secret> list(Scope scope) {
        catalog.requireScope(scope);
        return scopeEntries
                .findByEntryPath(EntryPath.of(scope).path())
                .map(entry -> secrets.findByScopeEntryIdAndDeletedFalseOrderByKeyName(entry.id()))
                .orElse(List.of());
    }

    /** A key that exists now (not deleted). */
    Secret require(Scope scope, String key) {
        Secret secret = requireWithHistory(scope, key);
        if (secret.deleted()) {
            throw notFound(scope, key);
        }
        return secret;
    }

    /** A key that has ever existed at the scope, deleted or not: its history is still there. */
    Secret requireWithHistory(Scope scope, String key) {
        KeyNames.require(key);
        catalog.requireScope(scope);
        return scopeEntries
                .findByEntryPath(EntryPath.of(scope).path())
                .flatMap(entry -> secrets.findByScopeEntryIdAndKeyName(entry.id(), key))
                .orElseThrow(() -> notFound(scope, key));
    }

    List<SecretVersion> history(Secret secret) {
        return versions.findBySecretIdOrderByVersionDesc(secret.id());
    }

    SecretVersion requireVersion(Scope scope, Secret secret, int version) {
        return versions.findBySecretIdAndVersion(secret.id(), version)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.VERSION_NOT_FOUND,
                        secret.keyName() + " at " + scope + " has no version " + version + "; its versions are 1 to "
                                + secret.version() + ".",
                        "version"));
    }

    /**
     * A deployment's keys, each with the scope it resolves from and the scopes it overrides. One
     * SQL statement; precedence is {@link ScopeChain#resolve}'s.
     */
    SortedMap<String, ScopeChain.Resolved<Secret>> resolve(ScopeChain chain) {
        Map<String, Scope> scopesByPath = chain.scopes().stream()
                .collect(Collectors.toMap(scope -> EntryPath.of(scope).path(), Function.identity()));
        Map<Scope, Map<String, Secret>> keysByScope = new HashMap<>();
        for (Repositories.SecretAtPath row : secrets.findLiveByEntryPathIn(scopesByPath.keySet())) {
            keysByScope
                    .computeIfAbsent(scopesByPath.get(row.entryPath()), scope -> new HashMap<>())
                    .put(row.keyName(), row.secret());
        }
        return chain.resolve(keysByScope);
    }

    private static ApiException notFound(Scope scope, String key) {
        return new ApiException(ErrorCode.SECRET_NOT_FOUND, "There is no secret " + key + " at " + scope + ".", "key");
    }
}
