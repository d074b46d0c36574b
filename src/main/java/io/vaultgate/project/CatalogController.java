package io.vaultgate.project;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Slugs;
import io.vaultgate.web.Bound;
import io.vaultgate.web.DryRunFlag;
import io.vaultgate.web.ProblemResponses;
import io.vaultgate.web.WriteFlags;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Creating and reading projects, environments, services and deployments. */
@RateLimited
@ProblemResponses
@Controller("/v1/projects")
@ExecuteOn(TaskExecutors.BLOCKING)
class CatalogController {

    private final Catalog catalog;
    private final CatalogPreview preview;

    CatalogController(Catalog catalog, CatalogPreview preview) {
        this.catalog = catalog;
        this.preview = preview;
    }

    /** The answer to {@code ?dryRun=true}: whether the write would create or change something, and who would restart. */
    record DryRunView(
            boolean dryRun, boolean wouldCreate, boolean wouldChange, List<CatalogPreview.Restart> restarts) {}

    record ProjectView(String project, Instant createdAt) {}

    record EnvironmentView(String project, String environment, String type, Instant createdAt, Instant updatedAt) {}

    record ServiceView(String project, String service, Instant createdAt) {}

    record DeploymentView(String project, String environment, String service, Instant createdAt) {}

    record ProjectDetails(
            String project,
            Instant createdAt,
            List<EnvironmentView> environments,
            List<ServiceView> services,
            List<DeploymentView> deployments) {}

    /** @param type {@code production}, {@code staging}, {@code development}, {@code preview} or {@code local} */
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record EnvironmentBody(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"production", "staging", "development", "preview", "local"})
            String type) {}

    /** Every project (admin only). */
    @Operation(operationId = "listProjects")
    @Get
    @ApiResponse(responseCode = "200", description = "Every project.", useReturnTypeSchema = true)
    List<ProjectView> list(@Bound Caller caller) {
        Access.requireAdmin(caller);
        return catalog.listProjects().stream()
                .map(p -> new ProjectView(p.slug(), p.createdAt()))
                .toList();
    }

    /** Creates a project, or keeps it: 201 when created, 200 when it existed (or for a dry run). */
    @Operation(operationId = "putProject")
    @Put("/{project}")
    @ApiResponse(responseCode = "201", description = "Created.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "It existed already, or a dry run.", useReturnTypeSchema = true)
    @ProblemResponses.BadRequest
    @ProblemResponses.Conflict
    HttpResponse<Object> putProject(
            @PathVariable String project,
            @DryRunFlag @QueryValue @Nullable String dryRun,
            @Bound Caller caller,
            @Bound Actor actor) {
        Access.requireAdmin(caller);
        if (dryRun(dryRun)) {
            Slugs.require("project", project);
            boolean exists =
                    catalog.listProjects().stream().anyMatch(p -> p.slug().equals(project));
            return HttpResponse.ok(new DryRunView(true, !exists, false, List.of()));
        }
        Catalog.Put<Project> put = catalog.putProject(project, actor);
        return answer(put, new ProjectView(put.entry().slug(), put.entry().createdAt()));
    }

    /** A project with its environments, services and deployments. */
    @Operation(operationId = "getProject")
    @Get("/{project}")
    @ApiResponse(
            responseCode = "200",
            description = "The project with its environments, services and deployments.",
            useReturnTypeSchema = true)
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    ProjectDetails getProject(@PathVariable String project, @Bound Caller caller) {
        Access.requireProjectReader(caller, project);
        Project found = catalog.requireProject(project);
        List<Environment> environments = catalog.environmentsOf(found);
        List<Service> services = catalog.servicesOf(found);
        Map<Long, String> environmentSlugs =
                environments.stream().collect(Collectors.toMap(Environment::id, Environment::slug));
        Map<Long, String> serviceSlugs = services.stream().collect(Collectors.toMap(Service::id, Service::slug));
        return new ProjectDetails(
                found.slug(),
                found.createdAt(),
                environments.stream().map(e -> environmentView(found, e)).toList(),
                services.stream()
                        .map(s -> new ServiceView(found.slug(), s.slug(), s.createdAt()))
                        .toList(),
                catalog.deploymentsOf(found).stream()
                        .map(d -> new DeploymentView(
                                found.slug(),
                                environmentSlugs.get(d.environmentId()),
                                serviceSlugs.get(d.serviceId()),
                                d.createdAt()))
                        .sorted(java.util.Comparator.comparing(DeploymentView::environment)
                                .thenComparing(DeploymentView::service))
                        .toList());
    }

    /** Creates an environment or changes its type (which restarts its deployments whose keys move). */
    @Operation(operationId = "putEnvironment")
    @Put("/{project}/environments/{environment}")
    @ApiResponse(responseCode = "201", description = "Created.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "Kept or changed, or a dry run.", useReturnTypeSchema = true)
    @ProblemResponses.Body
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    HttpResponse<Object> putEnvironment(
            @PathVariable String project,
            @PathVariable String environment,
            @Body EnvironmentBody body,
            @DryRunFlag @QueryValue @Nullable String dryRun,
            @Bound Caller caller,
            @Bound Actor actor) {
        Access.requireProjectAdmin(caller, project);
        EnvironmentType type = EnvironmentType.parse("type", body.type());
        if (dryRun(dryRun)) {
            Project found = catalog.requireProject(project);
            Slugs.require("environment", environment);
            return HttpResponse.ok(catalog.environmentsOf(found).stream()
                    .filter(e -> e.slug().equals(environment))
                    .findFirst()
                    .map(existing -> existing.type().equals(type.wireName())
                            ? new DryRunView(true, false, false, List.of())
                            : new DryRunView(true, false, true, preview.typeChange(found, existing, type)))
                    .orElse(new DryRunView(true, true, false, List.of())));
        }
        Catalog.Put<Environment> put = catalog.putEnvironment(project, environment, type, actor);
        return answer(put, environmentView(catalog.requireProject(project), put.entry()));
    }

    /** Creates a service, or keeps it. */
    @Operation(operationId = "putService")
    @Put("/{project}/services/{service}")
    @ApiResponse(responseCode = "201", description = "Created.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "It existed already, or a dry run.", useReturnTypeSchema = true)
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    HttpResponse<Object> putService(
            @PathVariable String project,
            @PathVariable String service,
            @DryRunFlag @QueryValue @Nullable String dryRun,
            @Bound Caller caller,
            @Bound Actor actor) {
        Access.requireProjectAdmin(caller, project);
        if (dryRun(dryRun)) {
            Project found = catalog.requireProject(project);
            Slugs.require("service", service);
            boolean exists =
                    catalog.servicesOf(found).stream().anyMatch(s -> s.slug().equals(service));
            return HttpResponse.ok(new DryRunView(true, !exists, false, List.of()));
        }
        Catalog.Put<Service> put = catalog.putService(project, service, actor);
        return answer(
                put, new ServiceView(project, put.entry().slug(), put.entry().createdAt()));
    }

    /** Registers a service in an environment: a deployment, which restarts to pick up its keys. */
    @Operation(operationId = "putDeployment")
    @Put("/{project}/environments/{environment}/services/{service}")
    @ApiResponse(responseCode = "201", description = "Registered.", useReturnTypeSchema = true)
    @ApiResponse(
            responseCode = "200",
            description = "It was registered already, or a dry run.",
            useReturnTypeSchema = true)
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    HttpResponse<Object> putDeployment(
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String service,
            @DryRunFlag @QueryValue @Nullable String dryRun,
            @Bound Caller caller,
            @Bound Actor actor) {
        Access.requireProjectAdmin(caller, project);
        if (dryRun(dryRun)) {
            Project found = catalog.requireProject(project);
            Environment env = catalog.requireEnvironment(found, environment);
            Service svc = catalog.requireService(found, service);
            boolean exists =
                    catalog.findDeploymentRef(project, environment, service).isPresent();
            return HttpResponse.ok(
                    exists
                            ? new DryRunView(true, false, false, List.of())
                            : new DryRunView(true, true, true, preview.registration(found, env, svc)));
        }
        Catalog.Put<Deployment> put = catalog.putDeployment(project, environment, service, actor);
        return answer(
                put,
                new DeploymentView(project, environment, service, put.entry().createdAt()));
    }

    /** Removes a deployment, revokes its tokens and retires its identity; its secrets stay in their scope. */
    @Operation(operationId = "deleteDeployment")
    @Delete("/{project}/environments/{environment}/services/{service}")
    @ApiResponse(responseCode = "204", description = "Removed.")
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    HttpResponse<Void> deleteDeployment(
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String service,
            @Bound Caller caller,
            @Bound Actor actor) {
        Access.requireProjectAdmin(caller, project);
        catalog.deleteDeployment(project, environment, service, actor);
        return HttpResponse.noContent();
    }

    private static EnvironmentView environmentView(Project project, Environment environment) {
        return new EnvironmentView(
                project.slug(),
                environment.slug(),
                environment.type(),
                environment.createdAt(),
                environment.updatedAt());
    }

    private static <T> HttpResponse<Object> answer(Catalog.Put<T> put, Object view) {
        return HttpResponse.status(put.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(view);
    }

    private static boolean dryRun(@Nullable String flag) {
        return WriteFlags.parse(flag, null, null).dryRun();
    }
}
