package io.vaultgate.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import io.vaultgate.changeset.ChangeSetDesk;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import java.util.HashMap;
import java.util.Map;

/**
 * A project's change-set drafts: the open ones, and a draft's page with its operations (never
 * values), impact, conflicts and approvals, and the forms that approve, release (now or not before
 * a time), reject and discard it. Every call goes to {@link ChangeSetDesk} with the signed-in
 * caller, which checks the role exactly as the API's change-set routes do.
 */
@RateLimited
@Hidden
@Controller(ChangeSetsController.CHANGE_SETS)
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class ChangeSetsController {

    static final String CHANGE_SETS = ProjectsController.PROJECTS + "/{project}/change-sets";

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final ChangeSetDesk drafts;

    ChangeSetsController(ConsoleGuard guard, ConsolePages pages, ChangeSetDesk drafts) {
        this.guard = guard;
        this.pages = pages;
        this.drafts = drafts;
    }

    @Get
    HttpResponse<?> changeSets(HttpRequest<?> request, @PathVariable String project) {
        ConsoleGuard.Signed signed = guard.read(request);
        Map<String, Object> model = pages.model(signed, "Change-sets of " + project);
        model.put("project", project);
        model.put("drafts", drafts.list(signed.caller(), project));
        model.put("mayChange", ConsolePages.mayChange(signed.caller(), project));
        return ConsolePages.page("console/change-sets", model);
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> openDraft(HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        String id = drafts.create(signed.caller(), signed.actor(), project, form.get("description"));
        return ConsolePages.seeOther(path(project, id));
    }

    @Get("/{id}")
    HttpResponse<?> draft(HttpRequest<?> request, @PathVariable String project, @PathVariable String id) {
        ConsoleGuard.Signed signed = guard.read(request);
        ChangeSetDesk.Draft draft = drafts.show(signed.caller(), project, id);
        Map<String, Object> model = pages.model(signed, "Change-set " + draft.description());
        model.put("project", project);
        model.put("draft", draft);
        model.put("scopes", scopeNames(project, draft));
        model.put("mayChange", ConsolePages.mayChange(signed.caller(), project));
        return ConsolePages.page("console/change-set", model);
    }

    @Post("/{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> approveDraft(
            HttpRequest<?> request,
            @PathVariable String project,
            @PathVariable String id,
            @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        drafts.approve(signed.caller(), signed.actor(), project, id, revisionShown(form.get("revision")));
        return ConsolePages.seeOther(path(project, id));
    }

    @Post("/{id}/release")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> releaseDraft(
            HttpRequest<?> request,
            @PathVariable String project,
            @PathVariable String id,
            @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        String notBefore = form.getOrDefault("notBefore", "").strip();
        drafts.release(signed.caller(), signed.actor(), project, id, notBefore.isEmpty() ? null : notBefore);
        return ConsolePages.seeOther(path(project, id));
    }

    @Post("/{id}/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> rejectDraft(
            HttpRequest<?> request,
            @PathVariable String project,
            @PathVariable String id,
            @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        drafts.reject(signed.caller(), signed.actor(), project, id);
        return ConsolePages.seeOther(path(project, id));
    }

    @Post("/{id}/discard")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> discardDraft(
            HttpRequest<?> request,
            @PathVariable String project,
            @PathVariable String id,
            @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        drafts.discard(signed.caller(), signed.actor(), project, id);
        return ConsolePages.seeOther(path(project, id));
    }

    /** The revision the draft page showed, which its Approve form carries. */
    private static Integer revisionShown(String field) {
        try {
            return Integer.valueOf(field == null ? "" : field.strip());
        } catch (NumberFormatException e) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "The approve form carries the revision it showed; reload the draft.",
                    "revision");
        }
    }

    /** Each scope the page names (an API path), as a person reads it: "environment production". */
    private static Map<String, String> scopeNames(String project, ChangeSetDesk.Draft draft) {
        Map<String, String> names = new HashMap<>();
        String base = "/v1/projects/" + project;
        draft.operations().forEach(o -> names.computeIfAbsent(o.scope(), scope -> describe(project, base, scope)));
        if (draft.impact() != null) {
            draft.impact()
                    .conflicts()
                    .forEach(c -> names.computeIfAbsent(c.scope(), scope -> describe(project, base, scope)));
        }
        return names;
    }

    private static String describe(String project, String base, String apiPath) {
        String at = apiPath.length() <= base.length() ? "" : apiPath.substring(base.length() + 1);
        return ConsoleScopes.describe(ConsoleScopes.parse(project, at));
    }

    private static String path(String project, String id) {
        return CHANGE_SETS.replace("{project}", project) + "/" + id;
    }

    @Error(exception = ApiException.class)
    HttpResponse<ModelAndView<Map<String, Object>>> refused(HttpRequest<?> request, ApiException refused) {
        return pages.problem(request, refused);
    }
}
