package io.vaultgate.restart;

import io.micronaut.context.env.Environment;
import io.vaultgate.access.Actor;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.web.ApiException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each project's hook networks, in MySQL: the private networks its hooks may reach. Set by an
 * admin only, since a project admin who could open networks could aim the project's hooks at
 * any internal service; read at every registration and every send.
 */
@Singleton
class ProjectNetworks {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectNetworks.class);
    private static final String RETIRED_SETTING = "vaultgate.restart.allowed-private";

    private final Repositories.Networks rows;
    private final Repositories.Webhooks webhooks;
    private final Catalog catalog;
    private final AuditLog audit;
    private final Transactions transactions;
    private final Clock clock;

    ProjectNetworks(
            Repositories.Networks rows,
            Repositories.Webhooks webhooks,
            Catalog catalog,
            AuditLog audit,
            Transactions transactions,
            Clock clock,
            Environment environment) {
        this.rows = rows;
        this.webhooks = webhooks;
        this.catalog = catalog;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        if (environment.containsProperty(RETIRED_SETTING)) {
            LOG.warn(
                    "{} is no longer read: hooks reach private networks only as each project's hook networks allow "
                            + "(PUT /v1/projects/{project}/hook-networks, admin only)",
                    RETIRED_SETTING);
        }
    }

    HookNetworks of(Long projectId) {
        return HookNetworks.parse(rows.findByProjectIdOrderById(projectId).stream()
                .map(HookNetwork::entry)
                .filter(entry -> stillAllowed(projectId, entry))
                .toList());
    }

    /**
     * A stored entry a later version's table refuses (a range newly found special) is ignored,
     * not fatal: the list is read in every dispatch round, for every project.
     */
    private static boolean stillAllowed(Long projectId, String entry) {
        try {
            HookNetworks.parse(List.of(entry));
            return true;
        } catch (ApiException refused) {
            LOG.warn(
                    "project {}: a stored hook network is ignored, as the rules now refuse it: {}",
                    projectId,
                    refused.getMessage());
            return false;
        }
    }

    HookNetworks show(String projectSlug) {
        return of(catalog.requireProject(projectSlug).id());
    }

    /** Replaces the project's list; a bad entry refuses the whole list and changes nothing. */
    HookNetworks replace(String projectSlug, List<String> entries, Actor actor) {
        Project project = catalog.requireProject(projectSlug);
        HookNetworks networks = HookNetworks.parse(entries);
        Instant now = clock.instant();
        transactions.executeWrite(status -> {
            webhooks.lockProject(project.id());
            rows.deleteByProjectId(project.id());
            rows.saveAll(networks.entries().stream()
                    .map(entry -> new HookNetwork(null, project.id(), entry, now, actor.accessor()))
                    .toList());
            audit.record(AuditEntry.of(
                    project.id(), actor, "hook-networks.set", "/v1/projects/" + project.slug() + "/hook-networks"));
            return null;
        });
        return networks;
    }
}
