package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Actor;

/** Who asked for a release, as the draft records it (a scheduled release runs later, as them). */
record ReleaseRequest(String accessor, @Nullable String displayName, String requestId) {

    static ReleaseRequest of(Actor actor) {
        return new ReleaseRequest(actor.accessor(), actor.displayName(), actor.requestId());
    }
}
