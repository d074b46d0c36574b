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
import io.vaultgate.restart.HookDesk;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.OpenPaths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A project's restart hooks (project admins, as the API): list, register (the signing secret is
 * the answer of the form, shown once), remove, a hook's delivery log and redelivery.
 */
// HTML pages, not API operations: kept out of the API contract, whose operation ids they would share.
@Hidden
@Controller(HooksController.HOOKS)
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class HooksController {

    static final String HOOKS = OpenPaths.CONSOLE + "/projects/{project}/hooks";
    private static final int DELIVERIES = 100;

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final HookDesk hooks;

    HooksController(ConsoleGuard guard, ConsolePages pages, HookDesk hooks) {
        this.guard = guard;
        this.pages = pages;
        this.hooks = hooks;
    }

    @Get
    HttpResponse<?> hooks(HttpRequest<?> request, @PathVariable String project) {
        ConsoleGuard.Signed signed = guard.read(request);
        List<HookDesk.Hook> listed = hooks.list(signed.caller(), project);
        Map<String, Object> model = pages.model(signed, "Hooks of " + project);
        model.put("project", project);
        model.put("hooks", listed);
        return ConsolePages.page("console/hooks", model);
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> registerHook(HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        List<String> environments = Arrays.stream(
                        form.getOrDefault("environments", "").split("[,\\s]+"))
                .filter(e -> !e.isEmpty())
                .toList();
        HookDesk.Registered registered = hooks.register(
                signed.caller(),
                signed.actor(),
                project,
                form.getOrDefault("url", "").strip(),
                environments);
        Map<String, Object> model = pages.model(signed, "Hook registered");
        model.put("project", project);
        model.put("hook", registered.hook());
        model.put("secret", registered.secret());
        return ConsolePages.page("console/hook-registered", model);
    }

    @Post("/{hookId}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> removeHook(
            HttpRequest<?> request,
            @PathVariable String project,
            @PathVariable String hookId,
            @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        hooks.remove(signed.caller(), signed.actor(), project, hookId);
        return ConsolePages.seeOther(path(project));
    }

    @Get("/{hookId}")
    HttpResponse<?> hookDeliveries(HttpRequest<?> request, @PathVariable String project, @PathVariable String hookId) {
        ConsoleGuard.Signed signed = guard.read(request);
        List<HookDesk.Delivery> deliveries = hooks.deliveries(signed.caller(), project, hookId, DELIVERIES);
        Map<String, Object> model = pages.model(signed, "Deliveries of hook " + hookId);
        model.put("project", project);
        model.put("hookId", hookId);
        model.put("deliveries", deliveries);
        return ConsolePages.page("console/hook-deliveries", model);
    }

    @Post("/{hookId}/deliveries/{deliveryId}/redeliver")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> redeliverHook(
            HttpRequest<?> request,
            @PathVariable String project,
            @PathVariable String hookId,
            @PathVariable String deliveryId,
            @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        hooks.redeliver(signed.caller(), signed.actor(), project, hookId, deliveryId);
        return ConsolePages.seeOther(path(project) + "/" + hookId);
    }

    private static String path(String project) {
        return HOOKS.replace("{project}", project);
    }

    @Error(exception = ApiException.class)
    HttpResponse<ModelAndView<Map<String, Object>>> refused(HttpRequest<?> request, ApiException refused) {
        return pages.problem(request, refused);
    }
}
