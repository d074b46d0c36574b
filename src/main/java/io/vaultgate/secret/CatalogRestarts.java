package io.vaultgate.secret;

import io.vaultgate.access.Actor;
import io.vaultgate.project.CatalogPreview;
import io.vaultgate.project.CatalogTransactionListener;
import io.vaultgate.project.Deployment;
import io.vaultgate.project.Environment;
import io.vaultgate.project.Project;
import io.vaultgate.project.Service;
import io.vaultgate.restart.NewEvent;
import io.vaultgate.restart.RestartOutbox;
import io.vaultgate.scope.EnvironmentType;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Catalog changes that change what deployments resolve: a newly registered deployment, and an
 * environment whose type moves its deployments to another type scope. Their restart events go
 * to the outbox inside the catalog's transaction; a dry run gets the same answer without them.
 * Each advances the project's write sequence there too: a secret write whose restarts were worked
 * out before it (while its values were being written, say) works them out again, so the new
 * deployment, or the retyped one, is not left on the old values with no restart owed.
 */
@Singleton
class CatalogRestarts implements CatalogTransactionListener, CatalogPreview {

    private final ImpactAnalysis impact;
    private final RestartOutbox outbox;
    private final ProjectWriteSequence sequence;

    CatalogRestarts(ImpactAnalysis impact, RestartOutbox outbox, ProjectWriteSequence sequence) {
        this.impact = impact;
        this.outbox = outbox;
        this.sequence = sequence;
    }

    @Override
    public void deploymentRegistered(
            Project project, Environment environment, Service service, Deployment deployment, Actor actor) {
        sequence.advance(project.id());
        outbox.record(
                project.id(), List.of(impact.registered(project, deployment, environment, service, actor.accessor())));
    }

    @Override
    public List<Restart> registration(Project project, Environment environment, Service service) {
        return views(List.of(impact.registered(project, null, environment, service, "")));
    }

    @Override
    public List<Restart> typeChange(Project project, Environment environment, EnvironmentType newType) {
        Environment retyped = new Environment(
                environment.id(),
                environment.projectId(),
                environment.slug(),
                newType.wireName(),
                environment.createdAt(),
                environment.updatedAt());
        return views(impact.typeChanged(project, environment, retyped, ""));
    }

    private static List<Restart> views(List<NewEvent> events) {
        return events.stream()
                .map(e -> new Restart(e.environment(), e.service(), List.copyOf(e.keys())))
                .toList();
    }

    @Override
    public void environmentTypeChanged(Project project, Environment before, Environment after, Actor actor) {
        sequence.advance(project.id());
        outbox.record(project.id(), impact.typeChanged(project, before, after, actor.accessor()));
    }
}
