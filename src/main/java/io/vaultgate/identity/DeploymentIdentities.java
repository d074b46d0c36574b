package io.vaultgate.identity;

import io.vaultgate.project.DeploymentRef;
import io.vaultgate.values.EntryPath;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deployments as identities: each registered deployment has an identity in the token authority
 * that its workload tokens are bound to, and the authority's one workload policy lets a token read
 * exactly the five scope entries of its identity's deployment. {@link CatalogListener} binds the
 * identity when the deployment is registered (and on every repeated PUT of it or its environment),
 * rebinds every deployment of an environment whose type changes (the environment-type entry of its
 * chain moves), and retires it with the deployment; {@link WorkloadTokens} makes sure it is bound
 * before each mint, so a mint repairs what a failed catalog change left behind.
 *
 * <p>A mint trusts, for {@code vaultgate.tokens.identity-recheck}, an identity this replica bound
 * itself with exactly the same content: binding is a write in the token authority, and binding
 * before every mint doubled what a mint cost there. A deployment deleted and registered again is a
 * new deployment id, and a changed environment type a different identity, so neither is trusted.
 * What this replica cannot see (another replica's rebind that failed half-way) a mint repairs
 * within the recheck time.
 *
 * <p>For that same time a mint also trusts the deployment as this replica last bound it (its ids,
 * slugs and environment type) instead of looking it up again: every catalog change of this replica
 * binds or retires here first, and the mint's record holds the deployment's row, so a deployment
 * another replica deleted meanwhile is found gone there ({@link WorkloadTokens} then looks it up
 * afresh). An environment type another replica changed meanwhile is not seen for the recheck time,
 * as the identity itself is not: the trusted deployment is only ever used to mint, never to bind.
 */
@Singleton
public class DeploymentIdentities {

    private static final int MAX_REMEMBERED = 50_000;

    private final IdentityOperations identity;
    private final Duration recheck;
    private final Clock clock;
    /** deployment id → the identity this replica last bound for it, and when. */
    private final Map<Long, Bound> bound = new ConcurrentHashMap<>();
    /** project/environment/service → the deployment this replica last bound under those slugs. */
    private final Map<String, Trusted> deployments = new ConcurrentHashMap<>();

    private record Bound(DeploymentIdentity identity, Instant at) {}

    /** A deployment as this replica bound it, and its identity. */
    record Trusted(DeploymentRef deployment, DeploymentIdentity identity) {}

    DeploymentIdentities(IdentityOperations identity, TokenProperties properties, Clock clock) {
        this.identity = identity;
        this.recheck = properties.identityRecheck();
        this.clock = clock;
    }

    /** The deployment as the token authority knows it: its slugs and the entries of its chain. */
    static DeploymentIdentity identityOf(DeploymentRef deployment) {
        return new DeploymentIdentity(
                deployment.project(),
                deployment.environment(),
                deployment.type().wireName(),
                deployment.service(),
                deployment.chain().scopes().stream().map(EntryPath::of).toList());
    }

    /** Creates or updates the deployment's identity; tokens already bound to it follow. */
    public DeploymentIdentity bind(DeploymentRef deployment) {
        DeploymentIdentity wanted = identityOf(deployment);
        // Forgotten first: a bind that fails may have half-landed, so the next mint binds again.
        bound.remove(deployment.deploymentId());
        deployments.remove(slugsOf(deployment));
        identity.bindDeployment(wanted);
        if (bound.size() >= MAX_REMEMBERED || deployments.size() >= MAX_REMEMBERED) {
            bound.clear();
            deployments.clear();
        }
        bound.put(deployment.deploymentId(), new Bound(wanted, clock.instant()));
        deployments.put(slugsOf(deployment), new Trusted(deployment, wanted));
        return wanted;
    }

    /**
     * The deployment of these slugs as this replica bound it within the recheck time, so a mint
     * needs neither to look it up nor to bind it; empty when a mint must do both.
     */
    Optional<Trusted> trusted(String project, String environment, String service) {
        Trusted known = deployments.get(slugsOf(project, environment, service));
        return known != null && trusts(known.deployment(), known.identity()) ? Optional.of(known) : Optional.empty();
    }

    /** Forgets the deployment a mint trusted and found gone: the next mint looks it up. */
    void distrust(Trusted known) {
        deployments.remove(slugsOf(known.deployment()), known);
    }

    /** The deployment's identity, bound again unless this replica bound exactly it within the recheck time. */
    DeploymentIdentity ensureBound(DeploymentRef deployment) {
        DeploymentIdentity wanted = identityOf(deployment);
        return trusts(deployment, wanted) ? wanted : bind(deployment);
    }

    private boolean trusts(DeploymentRef deployment, DeploymentIdentity wanted) {
        Bound known = bound.get(deployment.deploymentId());
        return known != null
                && known.identity().equals(wanted)
                && clock.instant().isBefore(known.at().plus(recheck));
    }

    private static String slugsOf(DeploymentRef deployment) {
        return slugsOf(deployment.project(), deployment.environment(), deployment.service());
    }

    /** Slugs hold no '/', so the joined key is one deployment. */
    private static String slugsOf(String project, String environment, String service) {
        return project + "/" + environment + "/" + service;
    }

    /** Leaves the deployment's identity reading nothing. */
    public void retire(DeploymentRef deployment) {
        bound.remove(deployment.deploymentId());
        deployments.remove(slugsOf(deployment));
        identity.retireDeployment(identityOf(deployment));
        // Again after: a bind that raced this retirement may have remembered itself meanwhile.
        bound.remove(deployment.deploymentId());
        deployments.remove(slugsOf(deployment));
    }
}
