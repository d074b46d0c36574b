package io.vaultgate.project;

import io.vaultgate.access.Actor;

/**
 * Called inside the catalog's own transaction, for what must commit or roll back with the
 * change itself: the restart events a new deployment or an environment's new type owes go to
 * the outbox in the same transaction. Implementations touch MySQL only, never the network.
 */
public interface CatalogTransactionListener {

    void deploymentRegistered(
            Project project, Environment environment, Service service, Deployment deployment, Actor actor);

    void environmentTypeChanged(Project project, Environment before, Environment after, Actor actor);
}
