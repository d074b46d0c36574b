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
import io.vaultgate.access.Access;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Environment;
import io.vaultgate.project.Project;
import io.vaultgate.project.Service;
import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.OpenPaths;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Projects, with their environments (and types), services and deployments, and the forms that
 * create them. Each route checks the caller with the same rule as the API route it stands for
 * ({@code CatalogController}) before it calls the same {@link Catalog} method.
 */
@Hidden
@Controller(ProjectsController.PROJECTS)
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class ProjectsController {

    static final String PROJECTS = OpenPaths.CONSOLE + "/projects";

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final Catalog catalog;

    ProjectsController(ConsoleGuard guard, ConsolePages pages, Catalog catalog) {
        this.guard = guard;
        this.pages = pages;
        this.catalog = catalog;
    }

    record DeploymentRow(String environment, String service) {}

    /** An admin sees every project; anyone else is bound to one, and goes to it. */
    @Get
    HttpResponse<?> list(HttpRequest<?> request) {
        ConsoleGuard.Signed signed = guard.read(request);
        if (!signed.caller().admin()) {
            return ConsolePages.seeOther(PROJECTS + "/" + signed.caller().project());
        }
        Access.requireAdmin(signed.caller());
        Map<String, Object> model = pages.model(signed, "Projects");
        model.put(
                "projects",
                catalog.listProjects().stream()
                        .sorted(Comparator.comparing(Project::slug))
                        .toList());
        return ConsolePages.page("console/projects", model);
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> create(HttpRequest<?> request, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        Access.requireAdmin(signed.caller());
        String project = form.getOrDefault("project", "").strip();
        catalog.putProject(project, signed.actor());
        return ConsolePages.seeOther(PROJECTS + "/" + project);
    }

    @Get("/{project}")
    HttpResponse<?> show(HttpRequest<?> request, @PathVariable String project) {
        ConsoleGuard.Signed signed = guard.read(request);
        Access.requireProjectReader(signed.caller(), project);
        Project found = catalog.requireProject(project);
        List<Environment> environments = catalog.environmentsOf(found).stream()
                .sorted(Comparator.comparing(Environment::slug))
                .toList();
        List<Service> services = catalog.servicesOf(found).stream()
                .sorted(Comparator.comparing(Service::slug))
                .toList();
        Map<Long, String> environmentSlugs =
                environments.stream().collect(Collectors.toMap(Environment::id, Environment::slug));
        Map<Long, String> serviceSlugs = services.stream().collect(Collectors.toMap(Service::id, Service::slug));
        Map<String, Object> model = pages.model(signed, "Project " + project);
        model.put("project", found.slug());
        model.put("environments", environments);
        model.put("services", services);
        model.put(
                "deployments",
                catalog.deploymentsOf(found).stream()
                        .map(d -> new DeploymentRow(
                                environmentSlugs.get(d.environmentId()), serviceSlugs.get(d.serviceId())))
                        .sorted(Comparator.comparing(DeploymentRow::environment).thenComparing(DeploymentRow::service))
                        .toList());
        model.put(
                "types",
                Arrays.stream(EnvironmentType.values())
                        .map(EnvironmentType::wireName)
                        .toList());
        model.put("mayChange", ConsolePages.mayChange(signed.caller(), project));
        return ConsolePages.page("console/project", model);
    }

    @Post("/{project}/environments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> createEnvironment(
            HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        Access.requireProjectAdmin(signed.caller(), project);
        EnvironmentType type = EnvironmentType.parse("type", form.getOrDefault("type", ""));
        catalog.putEnvironment(project, form.getOrDefault("environment", "").strip(), type, signed.actor());
        return ConsolePages.seeOther(PROJECTS + "/" + project);
    }

    @Post("/{project}/services")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> createService(
            HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        Access.requireProjectAdmin(signed.caller(), project);
        catalog.putService(project, form.getOrDefault("service", "").strip(), signed.actor());
        return ConsolePages.seeOther(PROJECTS + "/" + project);
    }

    @Post("/{project}/deployments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> createDeployment(
            HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        Access.requireProjectAdmin(signed.caller(), project);
        catalog.putDeployment(
                project, form.getOrDefault("environment", ""), form.getOrDefault("service", ""), signed.actor());
        return ConsolePages.seeOther(PROJECTS + "/" + project);
    }

    @Error(exception = ApiException.class)
    HttpResponse<ModelAndView<Map<String, Object>>> refused(HttpRequest<?> request, ApiException refused) {
        return pages.problem(request, refused);
    }
}
