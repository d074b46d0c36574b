package io.vaultgate.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import io.vaultgate.delivery.Requirements;
import io.vaultgate.scope.Scope;
import io.vaultgate.secret.SecretService;
import io.vaultgate.secret.SecretViews;
import io.vaultgate.web.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A deployment's resolved view: every key it resolves, the scope it comes from (its SOURCE) and
 * the definitions that one overrides, beside the service's requirements, with the required keys
 * it cannot resolve shown as missing. The same calls as {@code GET .../resolved} and
 * {@code GET .../check}, with the signed-in caller.
 */
@Hidden
@Controller(ProjectsController.PROJECTS + "/{project}/environments/{environment}/services/{service}")
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class DeploymentController {

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final SecretService secrets;
    private final Requirements requirements;

    DeploymentController(ConsoleGuard guard, ConsolePages pages, SecretService secrets, Requirements requirements) {
        this.guard = guard;
        this.pages = pages;
        this.secrets = secrets;
        this.requirements = requirements;
    }

    /** One row of the page: a resolved key, or a required key that resolves nowhere. */
    record Row(
            String key,
            boolean missing,
            boolean required,
            SecretViews.Source source,
            String sourceAt,
            List<SecretViews.Source> overrides) {}

    @Get("/resolved")
    HttpResponse<?> resolved(
            HttpRequest<?> request,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String service) {
        ConsoleGuard.Signed signed = guard.read(request);
        Scope deployment = Scope.serviceInEnvironment(project, environment, service);
        SecretViews.Resolution resolution = secrets.resolved(signed.caller(), deployment);
        Requirements.CheckView check = requirements.check(signed.caller(), project, environment, service);
        Set<String> required = Set.copyOf(check.required());
        List<Row> rows = new ArrayList<>();
        resolution
                .keys()
                .forEach(key -> rows.add(new Row(
                        key.key(),
                        false,
                        required.contains(key.key()),
                        key.source(),
                        atOf(project, key.source().scope()),
                        key.overrides())));
        check.missing().forEach(key -> rows.add(new Row(key, true, true, null, null, List.of())));
        rows.sort(Comparator.comparing(Row::key));
        Map<String, Object> model = pages.model(signed, "Resolved: " + service + " in " + environment);
        model.put("project", project);
        model.put("environment", environment);
        model.put("environmentType", resolution.environmentType());
        model.put("service", service);
        model.put("rows", rows);
        model.put("required", check.required());
        model.put("missing", check.missing());
        model.put("satisfied", check.satisfied());
        model.put(
                "chain",
                List.of(
                        "project",
                        "environment type " + resolution.environmentType(),
                        "environment " + environment,
                        "service " + service,
                        service + " in " + environment));
        model.put("missingList", check.missing().stream().collect(Collectors.joining(", ")));
        return ConsolePages.page("console/resolved", model);
    }

    @Error(exception = ApiException.class)
    HttpResponse<ModelAndView<Map<String, Object>>> refused(HttpRequest<?> request, ApiException refused) {
        return pages.problem(request, refused);
    }

    /** The console's {@code at} of a source given as its API path. */
    private static String atOf(String project, String apiPath) {
        String base = "/v1/projects/" + project;
        return apiPath.length() <= base.length() ? "" : apiPath.substring(base.length() + 1);
    }
}
