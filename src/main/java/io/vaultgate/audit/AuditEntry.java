package io.vaultgate.audit;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Actor;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.RestartMode;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One line of the audit log before it is written: who, what, where, and how it ended. Start from
 * {@link #of} (a success that names no key) and add what the operation has:
 * {@code AuditEntry.of(projectId, actor, "secret.set", scope).keys(keys).changeSet(id)}.
 *
 * @param keyNames      the keys it touched (names only, never values)
 * @param unchangedKeys the keys answered {@code unchanged}: each told the caller that the value sent
 *                      is the stored one, which is what a guesser wants to learn
 * @param restartMode   for a secret write, whether it emitted restart events; null otherwise
 */
public record AuditEntry(
        @Nullable Long projectId,
        Actor actor,
        String action,
        String scope,
        List<String> keyNames,
        List<String> unchangedKeys,
        @Nullable String changeSetId,
        Outcome outcome,
        @Nullable ErrorCode errorCode,
        @Nullable RestartMode restartMode) {

    public AuditEntry {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(outcome, "outcome");
        keyNames = List.copyOf(keyNames);
        unchangedKeys = List.copyOf(unchangedKeys);
    }

    /** A successful operation on {@code scope} (an API path) that names no key. */
    public static AuditEntry of(@Nullable Long projectId, Actor actor, String action, String scope) {
        return new AuditEntry(
                projectId, actor, action, scope, List.of(), List.of(), null, Outcome.SUCCEEDED, null, null);
    }

    public AuditEntry keys(Collection<String> names) {
        return new AuditEntry(
                projectId,
                actor,
                action,
                scope,
                List.copyOf(names),
                unchangedKeys,
                changeSetId,
                outcome,
                errorCode,
                restartMode);
    }

    public AuditEntry unchanged(Collection<String> names) {
        return new AuditEntry(
                projectId,
                actor,
                action,
                scope,
                keyNames,
                List.copyOf(names),
                changeSetId,
                outcome,
                errorCode,
                restartMode);
    }

    public AuditEntry changeSet(@Nullable String id) {
        return new AuditEntry(
                projectId, actor, action, scope, keyNames, unchangedKeys, id, outcome, errorCode, restartMode);
    }

    public AuditEntry restart(RestartMode mode) {
        return new AuditEntry(
                projectId, actor, action, scope, keyNames, unchangedKeys, changeSetId, outcome, errorCode, mode);
    }

    /** How it ended, and the error code it answered when it did not succeed. */
    public AuditEntry ended(Outcome how, @Nullable ErrorCode error) {
        return new AuditEntry(
                projectId, actor, action, scope, keyNames, unchangedKeys, changeSetId, how, error, restartMode);
    }
}
