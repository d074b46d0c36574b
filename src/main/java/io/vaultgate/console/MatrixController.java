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
import io.vaultgate.access.Access;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Environment;
import io.vaultgate.project.Project;
import io.vaultgate.project.Service;
import io.vaultgate.scope.Scope;
import io.vaultgate.secret.SecretMetadata;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.OpenPaths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keys × environments of a project: for each key and environment, where the environment's own
 * chain (project, environment type, environment) finds it, and the services that override it
 * there. Names and scopes only: the page never holds a value. Read as the API's project readers
 * read secret metadata.
 */
// HTML pages, not API operations: kept out of the API contract, whose operation ids they would share.
@Hidden
@Controller(OpenPaths.CONSOLE + "/projects/{project}/matrix")
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class MatrixController {

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final Catalog catalog;
    private final SecretMetadata metadata;

    MatrixController(ConsoleGuard guard, ConsolePages pages, Catalog catalog, SecretMetadata metadata) {
        this.guard = guard;
        this.pages = pages;
        this.catalog = catalog;
        this.metadata = metadata;
    }

    /** How a key stands in one environment; the words are on the page, the class only colours them. */
    enum State {
        DEFINED("defined here"),
        OVERRIDDEN("overridden here"),
        INHERITED("inherited"),
        SERVICES_ONLY("only for some services"),
        MISSING("missing");

        private final String words;

        State(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        public String css() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param from     the scope the environment's chain takes the key from, or what the environment overrides
     * @param services the services that define the key for themselves in this environment
     */
    record Cell(State state, String from, List<String> services) {}

    record Row(String key, List<Cell> cells, boolean missingSomewhere) {}

    @Get
    HttpResponse<?> matrix(HttpRequest<?> request, @PathVariable String project) {
        ConsoleGuard.Signed signed = guard.read(request);
        Access.requireProjectReader(signed.caller(), project);
        Project found = catalog.requireProject(project);
        List<Environment> environments = catalog.environmentsOf(found).stream()
                .sorted(Comparator.comparing(Environment::slug))
                .toList();
        List<String> services =
                catalog.servicesOf(found).stream().map(Service::slug).sorted().toList();
        Map<String, Set<Scope>> scopesByKey = new TreeMap<>(metadata.scopesOfEveryKey(found.id()));
        List<Row> rows = scopesByKey.entrySet().stream()
                .map(e -> row(project, e.getKey(), e.getValue(), environments, services))
                .toList();
        Map<String, Object> model = pages.model(signed, "Keys × environments of " + project);
        model.put("project", project);
        model.put("environments", environments);
        model.put("rows", rows);
        return ConsolePages.page("console/matrix", model);
    }

    private static Row row(
            String project, String key, Set<Scope> scopes, List<Environment> environments, List<String> services) {
        List<Cell> cells = environments.stream()
                .map(environment -> cell(project, scopes, environment, services))
                .toList();
        return new Row(key, cells, cells.stream().anyMatch(c -> c.state() == State.MISSING));
    }

    static Cell cell(String project, Set<Scope> scopes, Environment environment, List<String> services) {
        String inheritedFrom = null;
        if (scopes.contains(Scope.environmentType(project, environment.environmentType()))) {
            inheritedFrom = "type " + environment.environmentType().wireName();
        } else if (scopes.contains(Scope.project(project))) {
            inheritedFrom = "project";
        }
        List<String> overriding = services.stream()
                .filter(s -> scopes.contains(Scope.serviceInEnvironment(project, environment.slug(), s))
                        || scopes.contains(Scope.service(project, s)))
                .toList();
        if (scopes.contains(Scope.environment(project, environment.slug()))) {
            return inheritedFrom == null
                    ? new Cell(State.DEFINED, "environment", overriding)
                    : new Cell(State.OVERRIDDEN, inheritedFrom, overriding);
        }
        if (inheritedFrom != null) {
            return new Cell(State.INHERITED, inheritedFrom, overriding);
        }
        return overriding.isEmpty()
                ? new Cell(State.MISSING, "", List.of())
                : new Cell(State.SERVICES_ONLY, "", overriding);
    }

    @Error(exception = ApiException.class)
    HttpResponse<ModelAndView<Map<String, Object>>> refused(HttpRequest<?> request, ApiException refused) {
        return pages.problem(request, refused);
    }
}
