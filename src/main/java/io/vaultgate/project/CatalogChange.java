package io.vaultgate.project;

import io.vaultgate.scope.EnvironmentType;

/**
 * What changed in the catalog, published as an application event after the change committed,
 * for features that must follow it outside the catalog's transaction (a deployment's Vault
 * identity follows its scopes). A listener that throws fails the request, which the caller retries:
 * every PUT republishes, so a retry repairs what a failed listener left behind.
 */
public sealed interface CatalogChange {

    /** A deployment was registered, or registered again (PUT is idempotent). */
    record DeploymentPut(DeploymentRef deployment, boolean created) implements CatalogChange {}

    /**
     * An environment was put without changing its type (created, or put again): its deployments'
     * identities are what they were, which a listener may make sure of (a retry after a failed
     * type change repairs that way).
     */
    record EnvironmentPut(String project, String environment) implements CatalogChange {}

    /** An environment's type changed: its deployments now inherit from another type scope. */
    record EnvironmentTypeChanged(String project, String environment, EnvironmentType before, EnvironmentType after)
            implements CatalogChange {}

    /** A deployment is about to be deleted: published before the row goes, so listeners can still find it. */
    record DeploymentDeleting(DeploymentRef deployment) implements CatalogChange {}

    /**
     * A deployment's row is gone (committed). Published to clean up again what a request racing the
     * deletion may have added between {@link DeploymentDeleting} and the commit (a minted token).
     */
    record DeploymentDeleted(DeploymentRef deployment) implements CatalogChange {}
}
