package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.scope.Scope;
import io.vaultgate.values.SecretValue;
import java.util.List;

/**
 * Staging into a change-set draft instead of writing: what a write route does when it is sent
 * {@code ?changeSet={id}}. Owned here, so that {@code secret} needs nothing of the drafts feature
 * ({@code changeset} implements it). {@link SecretService} calls it after checking the request
 * exactly as it checks the write, with the validated changes and each key's version at that moment.
 */
public interface DraftStaging {

    /** Adds the changes to the draft, replacing an earlier staged operation on the same scope and key. */
    Staged stage(Request request);

    /**
     * @param route          method and path, the answer's Idempotency-Key is bound to
     * @param idempotencyKey the caller's {@code Idempotency-Key}, or null
     * @param unchanged      the keys set to the value they hold now: a draft's impact tells so, as a
     *                       dry run does, so its staging is audited naming them as a dry run's is
     */
    record Request(
            String draftId,
            Scope scope,
            Caller caller,
            Actor actor,
            String route,
            @Nullable String idempotencyKey,
            List<Key> keys,
            List<String> unchanged) {

        public Request {
            keys = List.copyOf(keys);
            unchanged = List.copyOf(unchanged);
        }
    }

    /**
     * One validated change: a value to set, or a delete when {@code value} is null.
     *
     * @param reviewedVersion the key's live version now (0: absent), or the {@code expectedVersion}
     *                        the caller sent, already checked against it
     * @param forced          a delete sent with {@code ?force=true}: no requirement check, now or at release
     */
    record Key(String key, @Nullable SecretValue value, int reviewedVersion, boolean forced) {

        @Override
        public String toString() {
            return "Key[" + key + ", " + (value == null ? "delete" : "set") + ", reviewedVersion=" + reviewedVersion
                    + "]";
        }
    }

    /**
     * The answer of a staging request (202): the draft, its new revision, the scope and what was staged.
     *
     * @param changeSet the draft's id
     * @param scope     the scope's API path
     */
    record Staged(String changeSet, int revision, String scope, List<StagedOperation> operations, boolean staged) {}

    /** @param operation {@code set} or {@code delete} */
    record StagedOperation(String key, String operation) {}
}
