package io.vaultgate.project;

import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Slugs;
import io.vaultgate.web.DryRun;
import io.vaultgate.web.JsonBodies;
import io.vaultgate.web.RequestIds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Creating and reading projects, environments, services and deployments. */
@RateLimited
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
    record DryRunView(boolean dryRun, boolean wouldCreate, boolean wouldChange, List<CatalogPreview.Restart> restarts) {
    }

    record ProjectView(String project, Instant createdAt) {
    }

    record EnvironmentView(String project, String environment, String type, Instant createdAt, Instant updatedAt) {
    }

    record ServiceView(String project, String service, Instant createdAt) {
    }

    record DeploymentView(String project, String environment, String service, Instant createdAt) {
    }

    record ProjectDetails(String project, Instant createdAt, List<EnvironmentView> environments,
                          List<ServiceView> services, List<DeploymentView> deployments) {
    }

    record EnvironmentBody(String type) {
    }

    @Get
    List<ProjectView> list(Caller caller) {
        Access.requireAdmin(caller);
        return catalog.listProjects().stream().map(p -> new ProjectView(p.slug(), p.createdAt())).toList();
    }

    @Put("/{project}")
    @Consumes(MediaType.ALL)
    HttpResponse<?> putProject(HttpRequest<?> request, Caller caller, String project) {
        Access.requireAdmin(caller);
        if (DryRun.requested(request)) {
            Slugs.require("project", project);
            boolean exists = catalog.listProjects().stream().anyMatch(p -> p.slug().equals(project));
            return HttpResponse.ok(new DryRunView(true, !exists, false, List.of()));
        }
        Catalog.Put<Project> put = catalog.putProject(project, actor(caller, request));
        return answer(put, new ProjectView(put.entry().slug(), put.entry().createdAt()));
    }

    @Get("/{project}")
    ProjectDetails getProject(Caller caller, String project) {
        Access.requireProjectReader(caller, project);
        Project found = catalog.requireProject(project);
        List<Environment> environments = catalog.environmentsOf(found);
        List<Service> services = catalog.servicesOf(found);
        Map<Long, String> environmentSlugs = environments.stream().collect(Collectors.toMap(Environment::id, Environment::slug));
        Map<Long, String> serviceSlugs = services.stream().collect(Collectors.toMap(Service::id, Service::slug));
        return new ProjectDetails(found.slug(), found.createdAt(),
                environments.stream().map(e -> environmentView(found, e)).toList(),
                services.stream().map(s -> new ServiceView(found.slug(), s.slug(), s.createdAt())).toList(),
                catalog.deploymentsOf(found).stream()
                        .map(d -> new DeploymentView(found.slug(), environmentSlugs.get(d.environmentId()),
                                serviceSlugs.get(d.serviceId()), d.createdAt()))
                        .sorted(java.util.Comparator.comparing(DeploymentView::environment).thenComparing(DeploymentView::service))
                        .toList());
    }

    @Put("/{project}/environments/{environment}")
    @Consumes(MediaType.ALL)
    HttpResponse<?> putEnvironment(HttpRequest<?> request, Caller caller, String project,
                                   String environment, @Body @Nullable String body) {
        Access.requireProjectAdmin(caller, project);
        EnvironmentBody parsed = JsonBodies.parse(body, EnvironmentBody.class);
        EnvironmentType type = EnvironmentType.parse("type", parsed.type());
        if (DryRun.requested(request)) {
            Project found = catalog.requireProject(project);
            Slugs.require("environment", environment);
            return HttpResponse.ok(catalog.environmentsOf(found).stream().filter(e -> e.slug().equals(environment))
                    .findFirst()
                    .map(existing -> existing.type().equals(type.wireName())
                            ? new DryRunView(true, false, false, List.of())
                            : new DryRunView(true, false, true, preview.typeChange(found, existing, type)))
                    .orElse(new DryRunView(true, true, false, List.of())));
        }
        Catalog.Put<Environment> put = catalog.putEnvironment(project, environment, type, actor(caller, request));
        return answer(put, environmentView(catalog.requireProject(project), put.entry()));
    }

    @Put("/{project}/services/{service}")
    @Consumes(MediaType.ALL)
    HttpResponse<?> putService(HttpRequest<?> request, Caller caller, String project, String service) {
        Access.requireProjectAdmin(caller, project);
        if (DryRun.requested(request)) {
            Project found = catalog.requireProject(project);
            Slugs.require("service", service);
            boolean exists = catalog.servicesOf(found).stream().anyMatch(s -> s.slug().equals(service));
            return HttpResponse.ok(new DryRunView(true, !exists, false, List.of()));
        }
        Catalog.Put<Service> put = catalog.putService(project, service, actor(caller, request));
        return answer(put, new ServiceView(project, put.entry().slug(), put.entry().createdAt()));
    }

    @Put("/{project}/environments/{environment}/services/{service}")
    @Consumes(MediaType.ALL)
    HttpResponse<?> putDeployment(HttpRequest<?> request, Caller caller, String project,
                                  String environment, String service) {
        Access.requireProjectAdmin(caller, project);
        if (DryRun.requested(request)) {
            Project found = catalog.requireProject(project);
            Environment env = catalog.requireEnvironment(found, environment);
            Service svc = catalog.requireService(found, service);
            boolean exists = catalog.findDeploymentRef(project, environment, service).isPresent();
            return HttpResponse.ok(exists ? new DryRunView(true, false, false, List.of())
                    : new DryRunView(true, true, true, preview.registration(found, env, svc)));
        }
        Catalog.Put<Deployment> put = catalog.putDeployment(project, environment, service, actor(caller, request));
        return answer(put, new DeploymentView(project, environment, service, put.entry().createdAt()));
    }

    /** Not in the v1 table of DESIGN.md: removes the deployment, revokes its tokens and retires its Vault identity. */
    @Delete("/{project}/environments/{environment}/services/{service}")
    @Consumes(MediaType.ALL)
    HttpResponse<?> deleteDeployment(HttpRequest<?> request, Caller caller, String project, String environment,
                                     String service) {
        Access.requireProjectAdmin(caller, project);
        catalog.deleteDeployment(project, environment, service, actor(caller, request));
        return HttpResponse.noContent();
    }

    private static EnvironmentView environmentView(Project project, Environment environment) {
        return new EnvironmentView(project.slug(), environment.slug(), environment.type(), environment.createdAt(),
                environment.updatedAt());
    }

    private static <T, V> HttpResponse<V> answer(Catalog.Put<T> put, V view) {
        return HttpResponse.<V>status(put.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view);
    }

    static Actor actor(Caller caller, HttpRequest<?> request) {
        return Actor.of(caller, RequestIds.of(request));
    }
}
