package io.vaultgate.changeset;

import io.micronaut.scheduling.annotation.Scheduled;
import io.vaultgate.access.Actor;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.audit.Outcome;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.web.ApiException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code vaultgate.change-sets.release-interval}, on every replica: releases the scheduled
 * drafts that are due (each taken by one conditional UPDATE, so one replica releases it),
 * settles drafts left releasing, and deletes the Vault entries closed drafts still owe.
 * Approvals, requirements and conflicts are checked again at release time: a scheduled draft
 * that lacks approvals now, or deletes a key a deployment now requires, returns to draft with
 * {@code lastReleaseFailure}.
 */
@Singleton
class ReleaseJob {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseJob.class);
    private static final int BATCH = 20;

    private final Catalog catalog;
    private final Drafts drafts;
    private final DraftRows rows;
    private final Releases releases;
    private final Settlement settlement;
    private final DraftEntryCleanup cleanup;
    private final AuditLog audit;
    private final Transactions transactions;
    private final Clock clock;

    ReleaseJob(
            Catalog catalog,
            Drafts drafts,
            DraftRows rows,
            Releases releases,
            Settlement settlement,
            DraftEntryCleanup cleanup,
            AuditLog audit,
            Transactions transactions,
            Clock clock) {
        this.catalog = catalog;
        this.drafts = drafts;
        this.rows = rows;
        this.releases = releases;
        this.settlement = settlement;
        this.cleanup = cleanup;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Scheduled(
            fixedDelay = "${vaultgate.change-sets.release-interval}",
            initialDelay = "${vaultgate.change-sets.release-interval}")
    void run() {
        try {
            Instant now = clock.instant();
            transactions.executeRead(status -> rows.due(now, BATCH)).forEach(this::releaseDueAlone);
            transactions.executeRead(status -> rows.releasing()).forEach(this::settle);
            transactions.executeRead(status -> rows.entriesToDelete(BATCH)).forEach(this::deleteEntry);
        } catch (RuntimeException e) {
            LOG.warn(
                    "The change-set release job stopped this round ({}); it runs again.",
                    e.getClass().getSimpleName());
        }
    }

    /** One due draft that fails (its project deleted, MySQL or Vault failing for it) holds up no other. */
    private void releaseDueAlone(String id) {
        try {
            releaseDue(id);
        } catch (RuntimeException e) {
            LOG.warn("Scheduled change-set draft {} could not be released this round ({}).", id, codeOf(e));
        }
    }

    private void releaseDue(String id) {
        Optional<Draft> found = transactions.executeRead(status -> rows.findById(id));
        if (found.isEmpty() || found.get().state() != DraftState.SCHEDULED) {
            return;
        }
        Draft draft = found.get();
        Project project = catalog.requireProjectById(draft.projectId());
        try {
            releases.requireReleasable(project, draft, transactions.executeRead(status -> rows.operations(draft.id())));
        } catch (ApiException refused) {
            transactions.executeWrite(status -> {
                if (rows.unscheduled(
                        draft.id(),
                        draft.revision(),
                        refused.errorCode().code(),
                        refused.getMessage(),
                        clock.instant())) {
                    Actor releaser = draft.releaser();
                    audit.record(AuditEntry.of(project.id(), releaser, "change-set.release", draft.apiPath())
                            .changeSet(draft.id())
                            .ended(Outcome.REFUSED, refused.errorCode()));
                }
                return null;
            });
            return;
        }
        try {
            releases.releaseNow(project, draft, requestOf(draft), Set.of(DraftState.SCHEDULED), clock.instant());
        } catch (RuntimeException e) {
            // The draft records why (lastReleaseFailure) or stays releasing until settled.
            LOG.info("Scheduled change-set draft {} was not released: {}.", draft.id(), codeOf(e));
        }
    }

    private void settle(String id) {
        try {
            transactions.executeRead(status -> rows.findById(id)).ifPresent(settlement::settle);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Change-set draft {} could not be settled yet ({}).",
                    id,
                    e.getClass().getSimpleName());
        }
    }

    private void deleteEntry(String id) {
        transactions.executeRead(status -> rows.findById(id)).ifPresent(d -> cleanup.delete(d.project(), d.id()));
    }

    private static ReleaseRequest requestOf(Draft draft) {
        Actor releaser = draft.releaser();
        return new ReleaseRequest(releaser.accessor(), releaser.displayName(), releaser.requestId());
    }

    private static String codeOf(RuntimeException e) {
        return e instanceof ApiException api
                ? api.errorCode().code()
                : e.getClass().getSimpleName();
    }
}
