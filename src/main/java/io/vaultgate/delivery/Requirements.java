package io.vaultgate.delivery;

import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.project.Project;
import io.vaultgate.project.Service;
import io.vaultgate.scope.KeyNames;
import io.vaultgate.scope.Scope;
import io.vaultgate.secret.LimitsProperties;
import io.vaultgate.secret.SecretDeletionCheck;
import io.vaultgate.secret.SecretMetadata;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Requirements: the keys a service declares it needs. {@link #check} lists those a deployment
 * cannot resolve (the deploy system runs it before a deploy); as a {@link SecretDeletionCheck}
 * it refuses a delete that would leave a deployment without a required key.
 */
@Singleton
public class Requirements implements SecretDeletionCheck {

    private final Catalog catalog;
    private final SecretMetadata metadata;
    private final RequirementRepository requirements;
    private final AuditLog audit;
    private final Transactions transactions;
    private final Clock clock;
    private final int maxKeys;

    Requirements(
            Catalog catalog,
            SecretMetadata metadata,
            RequirementRepository requirements,
            AuditLog audit,
            Transactions transactions,
            Clock clock,
            LimitsProperties limits) {
        this.maxKeys = limits.importKeys();
        this.catalog = catalog;
        this.metadata = metadata;
        this.requirements = requirements;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    public record RequirementsView(String project, String service, List<String> keys) {}

    public record CheckView(
            String project,
            String environment,
            String service,
            List<String> required,
            List<String> missing,
            boolean satisfied) {}

    /** Replaces the service's requirements with {@code keys}. */
    RequirementsView put(Caller caller, Actor actor, String projectSlug, String serviceSlug, List<String> keys) {
        Access.requireProjectAdmin(caller, projectSlug);
        if (keys == null) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "Send {\"keys\": [\"KEY\", ...]}.", "keys");
        }
        if (keys.size() > maxKeys) {
            throw new ApiException(
                    ErrorCode.TOO_MANY_KEYS,
                    "A service may require at most " + maxKeys + " keys (as many as one import holds); this list has "
                            + keys.size() + ".",
                    "keys");
        }
        TreeSet<String> wanted = new TreeSet<>();
        for (String key : keys) {
            wanted.add(KeyNames.require(key));
        }
        Project project = catalog.requireProject(projectSlug);
        Service service = catalog.requireService(project, serviceSlug);
        Instant now = clock.instant();
        transactions.executeWrite(status -> {
            requirements.deleteByServiceId(service.id());
            List<Requirement> rows = new ArrayList<>();
            wanted.forEach(key -> rows.add(new Requirement(null, service.id(), key, now, caller.accessor())));
            requirements.saveAll(rows);
            audit.record(AuditEntry.of(
                            project.id(),
                            actor,
                            "requirements.put",
                            Scope.service(projectSlug, serviceSlug).apiPath() + "/requirements")
                    .keys(wanted));
            return null;
        });
        return new RequirementsView(projectSlug, serviceSlug, List.copyOf(wanted));
    }

    public RequirementsView get(Caller caller, String projectSlug, String serviceSlug) {
        Access.requireProjectReader(caller, projectSlug);
        Service service = catalog.requireService(catalog.requireProject(projectSlug), serviceSlug);
        return new RequirementsView(projectSlug, serviceSlug, keysOf(service));
    }

    /** The required keys the deployment cannot resolve. */
    public CheckView check(Caller caller, String projectSlug, String environmentSlug, String serviceSlug) {
        Access.requireProjectReader(caller, projectSlug);
        DeploymentRef deployment = catalog.requireDeploymentRef(projectSlug, environmentSlug, serviceSlug);
        Service service = catalog.requireService(catalog.requireProject(projectSlug), serviceSlug);
        List<String> required = keysOf(service);
        Set<String> resolvable = metadata.resolvableKeys(deployment.chain());
        List<String> missing =
                required.stream().filter(key -> !resolvable.contains(key)).toList();
        return new CheckView(projectSlug, environmentSlug, serviceSlug, required, missing, missing.isEmpty());
    }

    @Override
    public List<String> deploymentsLeftUnresolved(Scope scope, String key) {
        Project project = catalog.requireProject(scope.project());
        Set<String> requiringServices = new HashSet<>(requirements.findServicesRequiring(project.id(), key));
        if (requiringServices.isEmpty()) {
            return List.of();
        }
        Set<Scope> elsewhere = new HashSet<>(metadata.scopesDefining(project.id(), key));
        if (!elsewhere.remove(scope)) {
            return List.of(); // not defined here: the delete answers 404 on its own
        }
        List<String> left = new ArrayList<>();
        for (DeploymentRef deployment : catalog.deploymentRefsOf(project)) {
            List<Scope> chain = deployment.chain().scopes();
            if (requiringServices.contains(deployment.service())
                    && chain.contains(scope)
                    && chain.stream().noneMatch(elsewhere::contains)) {
                left.add(deployment.environment() + "/" + deployment.service());
            }
        }
        return left;
    }

    private List<String> keysOf(Service service) {
        return requirements.findByServiceIdOrderByKeyName(service.id()).stream()
                .map(Requirement::keyName)
                .toList();
    }
}
