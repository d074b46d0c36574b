package io.vaultgate.restart;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads the feed: the events of a project after a cursor. An event still inside its coalescing
 * window may absorb later change-sets, so it is held back, and so is everything after it: a
 * reader never moves its cursor past an event that seals later. Two statements per read.
 */
@Singleton
class EventFeed {

    private final Repositories.Events events;

    EventFeed(Repositories.Events events) {
        this.events = events;
    }

    FeedPage read(long projectId, long cursor, int limit, Instant now) {
        Optional<RestartEvent> firstOpen = events.firstOpenAfter(projectId, cursor, now);
        long before = firstOpen.map(RestartEvent::id).orElse(Long.MAX_VALUE);
        List<RestartEvent> sealed = events.sealedAfter(projectId, cursor, now, before, limit);
        if (sealed.isEmpty()) {
            return new FeedPage(
                    List.of(), cursor, firstOpen.map(RestartEvent::deliverAfter).orElse(null));
        }
        return new FeedPage(sealed, sealed.get(sealed.size() - 1).id(), null);
    }
}
