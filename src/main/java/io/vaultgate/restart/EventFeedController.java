package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Access;
import io.vaultgate.access.Caller;
import io.vaultgate.database.DatabaseClock;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.scope.Slugs;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.HangUps;
import io.vaultgate.web.ProblemResponses;
import io.vaultgate.web.Quoting;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The pull feed for deploy systems that cannot receive webhooks: events after a cursor, waiting
 * up to {@code wait} seconds for one. The cursor is the event's row id and only moves forward;
 * an event still inside its coalescing window is held back, and so is everything after it, so a
 * reader never skips an event that seals later ({@link EventFeed}). A read that finds nothing and
 * may wait is parked with the {@link FeedWatcher}: it holds no thread and no connection meanwhile.
 */
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/events")
class EventFeedController {

    private static final int MAX_LIMIT = 1000;

    private final EventFeed feed;
    private final FeedWatcher watcher;
    private final Catalog catalog;
    private final RestartProperties properties;
    private final DatabaseClock clock;

    EventFeedController(
            EventFeed feed, FeedWatcher watcher, Catalog catalog, RestartProperties properties, DatabaseClock clock) {
        this.feed = feed;
        this.watcher = watcher;
        this.catalog = catalog;
        this.properties = properties;
        this.clock = clock;
    }

    /** @param next the cursor to send as {@code after} next time */
    record Feed(String project, List<EventPayloads.EventData> events, long next) {}

    /** Restart events of a project after a cursor, waiting up to {@code wait} seconds for one. */
    @Operation(operationId = "listEvents")
    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    @ApiResponse(
            responseCode = "200",
            description =
                    "The events after the cursor (none when none came within `wait`), and the cursor to send next.",
            useReturnTypeSchema = true)
    CompletableFuture<Feed> feed(
            HttpRequest<?> request,
            @Schema(pattern = Slugs.PATTERN) @QueryValue String project,
            @Schema(description = "The cursor: the `next` of the last page, 0 at first.", pattern = "^[0-9]{0,18}$")
                    @QueryValue
                    @Nullable
                    String after,
            @Schema(
                            description = "Seconds to wait for an event when none is there yet (`30` or `30s`), at most"
                                    + " vaultgate.restart.max-feed-wait (60 by default).",
                            pattern = "^(0*([0-9]|[1-5][0-9]|60)s?)?$")
                    @QueryValue
                    @Nullable
                    String wait,
            @Schema(minimum = "1", maximum = "" + MAX_LIMIT) @Parameter(allowEmptyValue = true) @QueryValue @Nullable
                    Integer limit,
            @Bound Caller caller) {
        Access.requireProjectReader(caller, project);
        Project found = catalog.requireProject(project);
        long cursor = number("after", after, 0);
        Duration longest = Duration.ofSeconds(number("wait", wait, 0));
        if (longest.compareTo(properties.maxFeedWait()) > 0) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "wait is at most " + properties.maxFeedWait().toSeconds() + " seconds.",
                    "wait");
        }
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "limit is 1 to " + MAX_LIMIT + ".", "limit");
        }
        Instant now = clock.now();
        FeedPage first = feed.read(found.id(), cursor, max, now);
        if (!first.isEmpty() || longest.isZero()) {
            return CompletableFuture.completedFuture(view(project, first));
        }
        CompletableFuture<FeedPage> answer =
                watcher.await(caller.accessor(), found.id(), cursor, max, now.plus(longest));
        HangUps.endOnHangUp(request, answer, FeedPage.empty(cursor));
        return answer.thenApply(page -> view(project, page));
    }

    private static Feed view(String project, FeedPage page) {
        return new Feed(
                project,
                page.events().stream()
                        .map(e -> EventPayloads.message(e, project).data())
                        .toList(),
                page.next());
    }

    private static long number(String field, String text, long fallback) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(
                    text.endsWith("s") && field.equals("wait") ? text.substring(0, text.length() - 1) : text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    field + " must be a whole number of 0 or more; got '" + Quoting.shorten(text) + "'.",
                    field);
        }
    }
}
