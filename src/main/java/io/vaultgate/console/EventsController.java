package io.vaultgate.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import io.vaultgate.restart.EventPages;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.OpenPaths;
import java.util.Map;

/**
 * A project's restart events, oldest first, a page at a time from a cursor: the feed deploy
 * systems read ({@code GET /v1/events}), without waiting, for the project's readers.
 */
// HTML pages, not API operations: kept out of the API contract, whose operation ids they would share.
@Hidden
@Controller(OpenPaths.CONSOLE + "/projects/{project}/events")
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class EventsController {

    private static final int PAGE = 25;

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final EventPages events;

    EventsController(ConsoleGuard guard, ConsolePages pages, EventPages events) {
        this.guard = guard;
        this.pages = pages;
        this.events = events;
    }

    @Get
    HttpResponse<?> events(HttpRequest<?> request, @PathVariable String project, @QueryValue @Nullable String after) {
        ConsoleGuard.Signed signed = guard.read(request);
        long cursor = QueryNumbers.parse("after", after, 0, 0, Long.MAX_VALUE);
        EventPages.Page page = events.after(signed.caller(), project, cursor, PAGE);
        Map<String, Object> model = pages.model(signed, "Restart events of " + project);
        model.put("project", project);
        model.put("events", page.events());
        model.put("cursor", cursor);
        model.put("next", page.events().size() == PAGE ? page.next() : null);
        return ConsolePages.page("console/events", model);
    }

    @Error(exception = ApiException.class)
    HttpResponse<ModelAndView<Map<String, Object>>> refused(HttpRequest<?> request, ApiException refused) {
        return pages.problem(request, refused);
    }
}
