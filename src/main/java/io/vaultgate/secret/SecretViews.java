package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import java.time.Instant;
import java.util.List;

/** What the secret API answers: metadata only. No type here has a field for a value. */
final class SecretViews {

    private SecretViews() {
    }

    record SecretView(String key, String scope, String scopeKind, int version, Instant createdAt, String createdBy,
                      Instant updatedAt, String updatedBy, @Nullable Instant lastAccessedAt) {

        static SecretView of(Scope scope, Secret secret) {
            return new SecretView(secret.keyName(), scope.apiPath(), scope.kind().wireName(), secret.version(),
                    secret.createdAt(), secret.createdBy(), secret.updatedAt(), secret.updatedBy(),
                    secret.lastAccessedAt());
        }
    }

    record SecretList(String scope, String scopeKind, List<SecretView> secrets) {
    }

    record WriteView(String changeSetId, String scope, String key, String operation, int version, Instant at,
                     boolean replayed) {
    }

    record ImportView(String changeSetId, String scope, List<String> created, List<String> updated, boolean replayed) {
    }

    /**
     * @param valueKept whether the value store still keeps the value of this version (KV v2
     *                  keeps {@code max_versions} versions of an entry); a rollback needs it
     */
    record VersionView(int version, boolean deleted, boolean valueKept, Instant createdAt, String createdBy,
                       String changeSetId) {
    }

    record History(String key, String scope, int currentVersion, boolean deleted, List<VersionView> versions) {
    }

    record Source(String scope, String scopeKind, int version, Instant updatedAt) {

        static Source of(ScopeChain.Defined<Secret> defined) {
            return new Source(defined.scope().apiPath(), defined.scope().kind().wireName(), defined.item().version(),
                    defined.item().updatedAt());
        }
    }

    record ResolvedKey(String key, Source source, List<Source> overrides) {
    }

    record Resolution(String project, String environment, String environmentType, String service,
                      List<ResolvedKey> keys) {
    }
}
