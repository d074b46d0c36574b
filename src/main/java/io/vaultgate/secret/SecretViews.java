package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.restart.NewEvent;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import java.time.Instant;
import java.util.List;

/** What the secret API answers: metadata only. No type here has a field for a value. */
public final class SecretViews {

    private SecretViews() {}

    /**
     * @param lastAccessedAt when a boot fetch last delivered this key from this scope (flushed
     *                       periodically, so it may lag by the flush interval)
     * @param usage          how many deployments resolve this key to this scope
     */
    public record SecretView(
            String key,
            String scope,
            String scopeKind,
            int version,
            Instant createdAt,
            String createdBy,
            Instant updatedAt,
            String updatedBy,
            @Nullable Instant lastAccessedAt,
            int usage) {

        static SecretView of(Scope scope, Secret secret, int usage) {
            return new SecretView(
                    secret.keyName(),
                    scope.apiPath(),
                    scope.kind().wireName(),
                    secret.version(),
                    secret.createdAt(),
                    secret.createdBy(),
                    secret.updatedAt(),
                    secret.updatedBy(),
                    secret.lastAccessedAt(),
                    usage);
        }
    }

    public record SecretList(String scope, String scopeKind, List<SecretView> secrets) {}

    /**
     * @param version  the key's version after the write; null for a dry run
     * @param restarts the deployments this write restarts (or would, for a dry run); null on a replay
     */
    public record WriteView(
            @Nullable String changeSetId,
            String scope,
            String key,
            String operation,
            @Nullable Integer version,
            Instant at,
            boolean replayed,
            boolean dryRun,
            @Nullable List<RestartView> restarts) {}

    public record ImportView(
            @Nullable String changeSetId,
            String scope,
            List<String> created,
            List<String> updated,
            List<String> unchanged,
            boolean dryRun,
            boolean replayed,
            @Nullable List<RestartView> restarts) {}

    /** A deployment a write restarts, and the keys whose resolved value changes for it. */
    public record RestartView(String environment, String service, List<String> keys) {

        static List<RestartView> of(@Nullable List<NewEvent> events) {
            return events == null
                    ? null
                    : events.stream()
                            .map(e -> new RestartView(e.environment(), e.service(), List.copyOf(e.keys())))
                            .toList();
        }
    }

    /**
     * @param valueKept whether the value store still keeps the value of this version (KV v2
     *                  keeps {@code max_versions} versions of an entry); a rollback needs it
     */
    public record VersionView(
            int version, boolean deleted, boolean valueKept, Instant createdAt, String createdBy, String changeSetId) {}

    public record History(String key, String scope, int currentVersion, boolean deleted, List<VersionView> versions) {}

    public record Source(String scope, String scopeKind, int version, Instant updatedAt) {

        static Source of(ScopeChain.Defined<Secret> defined) {
            return new Source(
                    defined.scope().apiPath(),
                    defined.scope().kind().wireName(),
                    defined.item().version(),
                    defined.item().updatedAt());
        }
    }

    public record ResolvedKey(String key, Source source, List<Source> overrides) {}

    public record Resolution(
            String project, String environment, String environmentType, String service, List<ResolvedKey> keys) {}
}
