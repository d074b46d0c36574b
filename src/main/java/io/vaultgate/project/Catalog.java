package io.vaultgate.project;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.exceptions.DataAccessException;
import io.vaultgate.access.Actor;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.database.Transactions;
import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.scope.Slugs;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Projects, environments, services and deployments: creating them (idempotently, so a retried
 * PUT is harmless) and finding them. A missing one answers 404 naming what was asked for.
 */
@Singleton
public class Catalog {

    private final ProjectRepository projects;
    private final EnvironmentRepository environments;
    private final ServiceRepository services;
    private final DeploymentRepository deployments;
    private final AuditLog audit;
    private final Transactions transactions;
    private final Clock clock;
    private final ApplicationEventPublisher<CatalogChange> changes;
    /** Lazy: the listeners (restart events) themselves read the catalog. */
    private final BeanProvider<CatalogTransactionListener> inTransaction;
    /** MySQL's shared row lock; dev mode's H2 has only the exclusive one. */
    private final boolean sharedHolds;

    Catalog(
            ProjectRepository projects,
            EnvironmentRepository environments,
            ServiceRepository services,
            DeploymentRepository deployments,
            AuditLog audit,
            Transactions transactions,
            Clock clock,
            ApplicationEventPublisher<CatalogChange> changes,
            BeanProvider<CatalogTransactionListener> inTransaction,
            @Value("${vaultgate.mode}") String mode) {
        this.projects = projects;
        this.environments = environments;
        this.services = services;
        this.deployments = deployments;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.changes = changes;
        this.inTransaction = inTransaction;
        this.sharedHolds = "production".equals(mode);
    }

    /** A put of a catalog entry: the entry and whether this call created it. */
    public record Put<T>(T entry, boolean created) {}

    public Put<Project> putProject(String slug, Actor actor) {
        Slugs.require("project", slug);
        return ensure(() -> projects.findBySlug(slug), () -> {
            Project created = projects.save(new Project(null, slug, clock.instant(), actor.accessor()));
            audited(created.id(), actor, "project.create", Scope.project(slug).apiPath());
            return created;
        });
    }

    public Put<Environment> putEnvironment(String projectSlug, String slug, EnvironmentType type, Actor actor) {
        Project project = requireProject(projectSlug);
        Slugs.require("environment", slug);
        String apiPath = Scope.environment(projectSlug, slug).apiPath();
        Put<Environment> put = ensure(() -> environments.findByProjectIdAndSlug(project.id(), slug), () -> {
            Environment created = environments.save(
                    new Environment(null, project.id(), slug, type.wireName(), clock.instant(), clock.instant()));
            audited(project.id(), actor, "environment.create", apiPath);
            return created;
        });
        if (!put.created() && !put.entry().type().equals(type.wireName())) {
            Put<Environment> changed = transactions.executeWrite(status -> {
                environments.updateTypeAndUpdatedAt(put.entry().id(), type.wireName(), clock.instant());
                audited(project.id(), actor, "environment.change-type", apiPath);
                Environment updated = environments.findById(put.entry().id()).orElseThrow();
                inTransaction.stream().forEach(l -> l.environmentTypeChanged(project, put.entry(), updated, actor));
                return new Put<>(updated, false);
            });
            changes.publishEvent(new CatalogChange.EnvironmentTypeChanged(
                    projectSlug, slug, put.entry().environmentType(), type));
            return changed;
        }
        changes.publishEvent(new CatalogChange.EnvironmentPut(projectSlug, slug));
        return put;
    }

    public Put<Service> putService(String projectSlug, String slug, Actor actor) {
        Project project = requireProject(projectSlug);
        Slugs.require("service", slug);
        return ensure(() -> services.findByProjectIdAndSlug(project.id(), slug), () -> {
            Service created = services.save(new Service(null, project.id(), slug, clock.instant()));
            audited(
                    project.id(),
                    actor,
                    "service.create",
                    Scope.service(projectSlug, slug).apiPath());
            return created;
        });
    }

    public Put<Deployment> putDeployment(String projectSlug, String environmentSlug, String serviceSlug, Actor actor) {
        Project project = requireProject(projectSlug);
        Environment environment = requireEnvironment(project, environmentSlug);
        Service service = requireService(project, serviceSlug);
        Put<Deployment> put =
                ensure(() -> deployments.findByEnvironmentIdAndServiceId(environment.id(), service.id()), () -> {
                    Deployment created = deployments.save(
                            new Deployment(null, project.id(), environment.id(), service.id(), clock.instant()));
                    audited(
                            project.id(),
                            actor,
                            "deployment.register",
                            Scope.serviceInEnvironment(projectSlug, environmentSlug, serviceSlug)
                                    .apiPath());
                    inTransaction.stream()
                            .forEach(l -> l.deploymentRegistered(project, environment, service, created, actor));
                    return created;
                });
        changes.publishEvent(new CatalogChange.DeploymentPut(
                new DeploymentRef(
                        put.entry().id(),
                        project.id(),
                        project.slug(),
                        environment.slug(),
                        service.slug(),
                        environment.type()),
                put.created()));
        return put;
    }

    /**
     * Deletes a deployment: listeners first remove what hangs on it outside MySQL (its Vault
     * policy, its tokens), then the row goes. Its secrets stay in their scope entry and come back
     * if the deployment is registered again.
     */
    public void deleteDeployment(String projectSlug, String environmentSlug, String serviceSlug, Actor actor) {
        DeploymentRef deployment = requireDeploymentRef(projectSlug, environmentSlug, serviceSlug);
        changes.publishEvent(new CatalogChange.DeploymentDeleting(deployment));
        transactions.executeWrite(status -> {
            deployments.deleteById(deployment.deploymentId());
            audited(
                    deployment.projectId(),
                    actor,
                    "deployment.delete",
                    Scope.serviceInEnvironment(projectSlug, environmentSlug, serviceSlug)
                            .apiPath());
            return null;
        });
        changes.publishEvent(new CatalogChange.DeploymentDeleted(deployment));
    }

    /**
     * Inside a transaction: whether the deployment still exists, and if so a lock on it until
     * that transaction ends, so a deletion cannot commit in between. What a caller records
     * under it (a minted token) is therefore either seen by the deletion's clean-up or refused.
     * The lock is shared: concurrent mints of one deployment record side by side, where an
     * exclusive one queued each behind the commit of the one before.
     */
    public boolean holdDeployment(Long deploymentId) {
        return (sharedHolds ? deployments.findIdShared(deploymentId) : deployments.findIdLocked(deploymentId))
                .isPresent();
    }

    /** A deployment and its environment's type in one SQL statement; empty when absent. */
    public Optional<DeploymentRef> findDeploymentRef(String projectSlug, String environmentSlug, String serviceSlug) {
        return deployments.findRef(projectSlug, environmentSlug, serviceSlug);
    }

    /** Like {@link #requireDeployment(String, String, String)}, with its errors, as a {@link DeploymentRef}. */
    public DeploymentRef requireDeploymentRef(String projectSlug, String environmentSlug, String serviceSlug) {
        Optional<DeploymentRef> found = findDeploymentRef(projectSlug, environmentSlug, serviceSlug);
        if (found.isPresent()) {
            return found.get();
        }
        requireDeployment(projectSlug, environmentSlug, serviceSlug); // throws the precise 404
        throw new IllegalStateException("deployment vanished while being looked up");
    }

    /** The deployments registered in one environment. */
    public List<DeploymentRef> deploymentsIn(String projectSlug, String environmentSlug) {
        return deployments.findRefsInEnvironment(requireProject(projectSlug).id(), environmentSlug);
    }

    /** The deployments registered in one environment of a project already found: one SQL statement. */
    public List<DeploymentRef> deploymentsIn(Project project, String environmentSlug) {
        return deployments.findRefsInEnvironment(project.id(), environmentSlug);
    }

    /** Every deployment of a project with its environment's type. */
    public List<DeploymentRef> deploymentRefsOf(Project project) {
        return deployments.findRefsOfProject(project.id());
    }

    public List<Project> listProjects() {
        return projects.listOrderBySlug();
    }

    public List<Environment> environmentsOf(Project project) {
        return environments.findByProjectIdOrderBySlug(project.id());
    }

    public List<Service> servicesOf(Project project) {
        return services.findByProjectIdOrderBySlug(project.id());
    }

    public List<Deployment> deploymentsOf(Project project) {
        return deployments.findByProjectId(project.id());
    }

    /** A project by its row id, for features that keep only the id (restart events, hooks). */
    public Project requireProjectById(Long id) {
        return projects.findById(id)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.PROJECT_NOT_FOUND, "There is no project with id " + id + ".", "project"));
    }

    public Project requireProject(String slug) {
        Slugs.require("project", slug);
        return projects.findBySlug(slug)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.PROJECT_NOT_FOUND, "There is no project '" + slug + "'.", "project"));
    }

    public Environment requireEnvironment(Project project, String slug) {
        Slugs.require("environment", slug);
        return environments
                .findByProjectIdAndSlug(project.id(), slug)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.ENVIRONMENT_NOT_FOUND,
                        "Project '" + project.slug() + "' has no environment '" + slug + "'.",
                        "environment"));
    }

    public Service requireService(Project project, String slug) {
        Slugs.require("service", slug);
        return services.findByProjectIdAndSlug(project.id(), slug)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.SERVICE_NOT_FOUND,
                        "Project '" + project.slug() + "' has no service '" + slug + "'.",
                        "service"));
    }

    /** Checks that everything a scope names exists; answers the scope's project. */
    public Project requireScope(Scope scope) {
        Project project = requireProject(scope.project());
        switch (scope.kind()) {
            case PROJECT, ENVIRONMENT_TYPE -> {}
            case ENVIRONMENT -> requireEnvironment(project, scope.environment());
            case SERVICE -> requireService(project, scope.service());
            case SERVICE_IN_ENVIRONMENT -> requireDeployment(project, scope.environment(), scope.service());
        }
        return project;
    }

    /** A registered deployment and the scopes it inherits from, in precedence order. */
    public record DeploymentScopes(Project project, Environment environment, Service service, ScopeChain chain) {}

    public DeploymentScopes requireDeployment(String projectSlug, String environmentSlug, String serviceSlug) {
        return requireDeployment(requireProject(projectSlug), environmentSlug, serviceSlug);
    }

    private DeploymentScopes requireDeployment(Project project, String environmentSlug, String serviceSlug) {
        Environment environment = requireEnvironment(project, environmentSlug);
        Service service = requireService(project, serviceSlug);
        deployments
                .findByEnvironmentIdAndServiceId(environment.id(), service.id())
                .orElseThrow(() -> deploymentNotFound(project.slug(), environmentSlug, serviceSlug));
        return new DeploymentScopes(
                project,
                environment,
                service,
                ScopeChain.forDeployment(
                        project.slug(), environment.slug(), environment.environmentType(), service.slug()));
    }

    /** The 404 of a service not registered in an environment. */
    public ApiException deploymentNotFound(String projectSlug, String environmentSlug, String serviceSlug) {
        return new ApiException(
                ErrorCode.DEPLOYMENT_NOT_FOUND,
                "Service '" + serviceSlug + "' is not registered in environment '" + environmentSlug
                        + "' of project '" + projectSlug + "'; register it with PUT /v1/projects/" + projectSlug
                        + "/environments/" + environmentSlug + "/services/" + serviceSlug + ".",
                "service");
    }

    private void audited(Long projectId, Actor actor, String action, String scope) {
        audit.record(AuditEntry.of(projectId, actor, action, scope));
    }

    /**
     * Finds or creates. Two concurrent creators race on the unique key; the loser finds the
     * winner's row instead of failing.
     */
    private <T> Put<T> ensure(Supplier<Optional<T>> find, Supplier<T> create) {
        Optional<T> existing = find.get();
        if (existing.isPresent()) {
            return new Put<>(existing.get(), false);
        }
        try {
            return new Put<>(transactions.executeWrite(status -> create.get()), true);
        } catch (DataAccessException duplicate) {
            return find.get().map(found -> new Put<>(found, false)).orElseThrow(() -> duplicate);
        }
    }
}
