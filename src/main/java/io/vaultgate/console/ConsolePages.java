package io.vaultgate.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.ModelAndView;
import io.vaultgate.access.Caller;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.RequestIds;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * What every console page is given (who is signed in, their role, the CSRF token of the page's
 * forms) and how a refusal is shown: the API's problem, with its status, stable code, field and
 * line, as a page instead of a JSON document.
 */
@Singleton
class ConsolePages {

    private final ConsoleGuard guard;

    ConsolePages(ConsoleGuard guard) {
        this.guard = guard;
    }

    /** The model of a page for the signed-in caller. */
    Map<String, Object> model(ConsoleGuard.Signed signed, String title) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("csrf", signed.csrf());
        model.put("who", signed.caller().displayName());
        model.put("role", signed.caller().role().wireName());
        model.put("admin", signed.caller().admin());
        model.put("homeProject", signed.caller().project());
        return model;
    }

    /** Whether the caller may change this project's secrets and catalog: the API's project-admin rule. */
    static boolean mayChange(Caller caller, String project) {
        return caller.admin() || (caller.role() == Caller.Role.PROJECT_ADMIN && project.equals(caller.project()));
    }

    static HttpResponse<ModelAndView<Map<String, Object>>> page(String view, Map<String, Object> model) {
        return HttpResponse.ok(new ModelAndView<>(view, model));
    }

    /** After a form did its work: 303, so reloading the page does not send the form again. */
    static MutableHttpResponse<?> seeOther(String path) {
        return HttpResponse.seeOther(URI.create(path));
    }

    /** A refusal as a page; the CSRF token lets the page offer sign-out or sign-in again. */
    HttpResponse<ModelAndView<Map<String, Object>>> problem(HttpRequest<?> request, ApiException refused) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", refused.errorCode().title());
        model.put("status", refused.errorCode().status().getCode());
        model.put("code", refused.errorCode().code());
        model.put("detail", refused.getMessage());
        model.put("field", refused.field());
        model.put("line", refused.extensions().get("line"));
        model.put("requestId", RequestIds.of(request));
        model.put("csrf", guard.csrf(request));
        return HttpResponse.<ModelAndView<Map<String, Object>>>status(
                        refused.errorCode().status())
                .body(new ModelAndView<>("console/problem", model));
    }
}
