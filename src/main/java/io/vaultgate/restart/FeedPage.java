package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/**
 * One page of a project's feed as it stood at one instant.
 *
 * @param events     sealed events after the cursor, oldest first, up to the first one still open
 * @param next       the cursor to read from next: the last event's, or the same cursor when empty
 * @param heldUntil  when empty because an open event holds the page back: when that event seals
 */
record FeedPage(
        List<RestartEvent> events, long next, @Nullable Instant heldUntil) {

    static FeedPage empty(long cursor) {
        return new FeedPage(List.of(), cursor, null);
    }

    boolean isEmpty() {
        return events.isEmpty();
    }
}
