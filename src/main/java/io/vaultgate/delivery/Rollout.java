package io.vaultgate.delivery;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Access;
import io.vaultgate.access.Caller;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.project.Project;
import io.vaultgate.secret.ConfigRevision;
import io.vaultgate.secret.SecretMetadata;
import io.vaultgate.secret.SecretMetadata.KeyVersion;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a project's deployments stand: each one's current revision beside the revisions its
 * live instances booted with. An instance is live when it was seen (a boot fetch, a 304 poll of
 * {@code vaultgate run --watch}, a reported fallback boot) within {@code vaultgate.rollout.live-window}.
 * A deployment is stale when one of its live instances holds another revision than the current
 * one; one with no live instance is not stale, since nothing of it runs an old revision that we know of.
 */
@Singleton
class Rollout {

    private final Catalog catalog;
    private final SecretMetadata metadata;
    private final RolloutLedger ledger;
    private final RolloutProperties properties;
    private final Clock clock;

    Rollout(Catalog catalog, SecretMetadata metadata, RolloutLedger ledger, RolloutProperties properties, Clock clock) {
        this.catalog = catalog;
        this.metadata = metadata;
        this.ledger = ledger;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param project            the project
     * @param environment        the environment filtered on, or null for all
     * @param liveWindowSeconds  how recently an instance must have been seen to count
     * @param stale              whether any deployment listed is stale
     * @param deployments        every deployment listed, by environment then service
     */
    record RolloutView(
            String project,
            @Nullable String environment,
            long liveWindowSeconds,
            boolean stale,
            List<DeploymentRollout> deployments) {}

    /**
     * @param revision  the deployment's current config revision (the ETag of GET /v1/env)
     * @param stale     whether a live instance holds another revision
     * @param instances its live instances, most recently seen first
     */
    record DeploymentRollout(
            String environment, String service, String revision, boolean stale, List<InstanceView> instances) {}

    /**
     * @param instance      the id the instance sent (Vaultgate-Instance), or null when it sent none
     * @param tokenAccessor the accessor of the token it last fetched (or reported) with
     * @param revision      the revision it last received, or booted from a fallback with
     * @param current       whether that is the deployment's current revision
     * @param bootedAt      when it first received that revision (for a fallback boot: when it booted)
     * @param lastSeenAt    when it last fetched, polled or reported
     * @param fromFallback  whether it runs that revision from a fallback file
     */
    record InstanceView(
            @Nullable String instance,
            String tokenAccessor,
            String revision,
            boolean current,
            Instant bootedAt,
            Instant lastSeenAt,
            boolean fromFallback) {}

    RolloutView of(Caller caller, String projectSlug, @Nullable String environmentSlug) {
        Access.requireProjectReader(caller, projectSlug);
        Project project = catalog.requireProject(projectSlug);
        if (environmentSlug != null) {
            catalog.requireEnvironment(project, environmentSlug);
        }
        List<DeploymentRef> deployments = catalog.deploymentRefsOf(project).stream()
                .filter(d -> environmentSlug == null || d.environment().equals(environmentSlug))
                .sorted(Comparator.comparing(DeploymentRef::environment).thenComparing(DeploymentRef::service))
                .toList();
        Instant since = clock.instant().minus(properties.liveWindow());
        Map<Long, List<Sighting>> live =
                ledger
                        .seenSince(
                                deployments.stream()
                                        .map(DeploymentRef::deploymentId)
                                        .toList(),
                                since)
                        .stream()
                        .collect(Collectors.groupingBy(Sighting::deploymentId));
        List<DeploymentRollout> listed = new ArrayList<>();
        for (DeploymentRef deployment : deployments) {
            // One SQL statement per deployment: the same resolution a boot fetch makes.
            String revision = metadata.resolveDeployment(
                            deployment.project(), deployment.environment(), deployment.service())
                    .map(keys -> ConfigRevision.of(keys.resolved(), KeyVersion::version))
                    .orElse(null);
            if (revision == null) {
                continue; // deleted since it was listed
            }
            List<InstanceView> instances = live.getOrDefault(deployment.deploymentId(), List.of()).stream()
                    .map(s -> new InstanceView(
                            s.instance(),
                            s.tokenAccessor(),
                            s.revision(),
                            s.revision().equals(revision),
                            s.bootedAt(),
                            s.lastSeenAt(),
                            s.fromFallback()))
                    .toList();
            boolean stale = instances.stream().anyMatch(i -> !i.current());
            listed.add(
                    new DeploymentRollout(deployment.environment(), deployment.service(), revision, stale, instances));
        }
        return new RolloutView(
                projectSlug,
                environmentSlug,
                properties.liveWindow().toSeconds(),
                listed.stream().anyMatch(DeploymentRollout::stale),
                listed);
    }
}
