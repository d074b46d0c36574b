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

    private final DeploymentIdentities identities;
    private final WorkloadTokens tokens;
    private final Catalog catalog;

    CatalogListener(DeploymentIdentities identities, WorkloadTokens tokens, Catalog catalog) {
        this.identities = identities;
        this.tokens = tokens;
        this.catalog = catalog;
    }

    @Override
    public void onApplicationEvent(CatalogChange change) {
        if (change instanceof CatalogChange.DeploymentPut put) {
            identities.bind(put.deployment());
        } else if (change instanceof CatalogChange.EnvironmentTypeChanged changed) {
            List<DeploymentRef> deployments = catalog.deploymentsIn(changed.project(), changed.environment());
            LOG.info(
                    "environment {}/{} changed type from {} to {}; rebinding the identities of {} deployments",
                    changed.project(),
                    changed.environment(),
                    changed.before().wireName(),
                    changed.after().wireName(),
                    deployments.size());
            deployments.forEach(identities::bind);
        } else if (change instanceof CatalogChange.EnvironmentPut put) {
            catalog.deploymentsIn(put.project(), put.environment()).forEach(identities::bind);
        } else if (change instanceof CatalogChange.DeploymentDeleting deleting) {
            // Tokens first, then the identity: a token minted elsewhere that is still bound to it reads nothing.
            // A failure here fails the deletion before the row goes, so its retry repairs it.
            tokens.revokeAllOf(deleting.deployment(), null);
            identities.retire(deleting.deployment());
        } else if (change instanceof CatalogChange.DeploymentDeleted deleted) {
            // A mint that raced the deletion recorded its token (and bound the identity again) before
            // the row went: the mint holds the row while it records, so this pass sees that token.
            try {
                List<String> late = tokens.revokeAllOf(deleted.deployment(), null);
                identities.retire(deleted.deployment());
                if (!late.isEmpty()) {
                    LOG.info(
                            "revoked {} token(s) minted for {} while it was being deleted",
                            late.size(),
                            deleted.deployment());
                }
            } catch (RuntimeException e) {
                LOG.error(
                        "deployment {} is deleted but tokens minted while it was being deleted may still be live "
                                + "until they expire: {}",
                        deleted.deployment(),
                        e.toString());
            }
        }
    }
}
