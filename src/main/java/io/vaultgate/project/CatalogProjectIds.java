package io.vaultgate.project;

import io.vaultgate.audit.ProjectIds;
import jakarta.inject.Singleton;

/** The audit log's view of the catalog: a project's row id, or the catalog's own 404. */
@Singleton
class CatalogProjectIds implements ProjectIds {

    private final Catalog catalog;

    CatalogProjectIds(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public long requireId(String projectSlug) {
        return catalog.requireProject(projectSlug).id();
    }
}
