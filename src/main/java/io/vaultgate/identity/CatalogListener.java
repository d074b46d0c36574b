package io.vaultgate.identity;

import io.micronaut.context.event.ApplicationEventListener;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.CatalogChange;
import io.vaultgate.project.DeploymentRef;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the identities in step with the catalog, after each catalog change has committed (never
 * inside its transaction). A Vault failure here fails the catalog request; the caller's retry of
 * the same PUT repairs it, because every PUT publishes again.
 */
@Singleton
class CatalogListener implements ApplicationEventListener<CatalogChange> {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogListener.class);

    private final DeploymentPolicies policies;
    private final WorkloadTokens tokens;
    private final Catalog catalog;

    CatalogListener(DeploymentPolicies policies, WorkloadTokens tokens, Catalog catalog) {
        this.policies = policies;
        this.tokens = tokens;
        this.catalog = catalog;
    }

    @Override
    public void onApplicationEvent(CatalogChange change) {
        if (change instanceof CatalogChange.DeploymentPut put) {
            policies.write(put.deployment());
        } else if (change instanceof CatalogChange.EnvironmentTypeChanged changed) {
            List<DeploymentRef> deployments = catalog.deploymentsIn(changed.project(), changed.environment());
            LOG.info("environment {}/{} changed type from {} to {}; rewriting the policies of {} deployments",
                    changed.project(), changed.environment(), changed.before().wireName(), changed.after().wireName(),
                    deployments.size());
            deployments.forEach(policies::write);
        } else if (change instanceof CatalogChange.DeploymentDeleting deleting) {
            // Tokens first: while its policy exists, a token can do no more than before.
            tokens.revokeAllOf(deleting.deployment(), null);
            policies.delete(deleting.deployment());
        }
    }
}
