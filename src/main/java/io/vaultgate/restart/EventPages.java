package io.vaultgate.restart;

import io.vaultgate.access.Access;
import io.vaultgate.access.Caller;
import io.vaultgate.database.DatabaseClock;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * A project's restart events a page at a time for callers outside this package (the console):
 * the same {@link EventFeed} read as {@code GET /v1/events} without waiting, behind the same
 * project-reader rule.
 */
@Singleton
public class EventPages {

    private final EventFeed feed;
    private final Catalog catalog;
    private final DatabaseClock clock;

    EventPages(EventFeed feed, Catalog catalog, DatabaseClock clock) {
        this.feed = feed;
        this.catalog = catalog;
        this.clock = clock;
    }

    public record Event(
            String id,
            long cursor,
            String environment,
            String service,
            String reason,
            List<String> changeSets,
            List<String> keys,
            Instant createdAt,
            List<String> actors) {}

    /** @param next the cursor of the page after this one; equal to the one asked when nothing followed */
    public record Page(List<Event> events, long next) {}

    public Page after(Caller caller, String project, long cursor, int limit) {
        Access.requireProjectReader(caller, project);
        Project found = catalog.requireProject(project);
        FeedPage page = feed.read(found.id(), cursor, limit, clock.now());
        return new Page(
                page.events().stream()
                        .map(e -> EventPayloads.message(e, project).data())
                        .map(d -> new Event(
                                d.id(),
                                d.cursor(),
                                d.environment(),
                                d.service(),
                                d.reason(),
                                d.changeSets(),
                                d.keys(),
                                d.createdAt(),
                                d.actors()))
                        .toList(),
                page.next());
    }
}
