package io.vaultgate.restart;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The restart feature's tables. */
final class Repositories {

    private Repositories() {}

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface Events extends CrudRepository<RestartEvent, Long> {

        List<RestartEvent> findByProjectIdAndDeliverAfterGreaterThanForUpdate(Long projectId, Instant openAfter);

        @Query("SELECT * FROM restart_event WHERE project_id = :projectId AND id > :after AND deliver_after <= :now "
                + "AND id < :before ORDER BY id LIMIT :limit")
        List<RestartEvent> sealedAfter(Long projectId, long after, Instant now, long before, int limit);

        /** The oldest event after the cursor still inside its coalescing window: it holds back the feed. */
        @Query("SELECT * FROM restart_event WHERE project_id = :projectId AND id > :after AND deliver_after > :now "
                + "ORDER BY id LIMIT 1")
        Optional<RestartEvent> firstOpenAfter(Long projectId, long after, Instant now);

        List<RestartEvent> findByEventIdIn(Collection<String> eventIds);

        /** The feed watcher's one query per poll, whatever the number of waiters. */
        @Query("SELECT project_id, MAX(id) AS newest FROM restart_event WHERE project_id IN (:projectIds) "
                + "GROUP BY project_id")
        List<NewestEvent> newestByProject(Collection<Long> projectIds);
    }

    /** The newest event id of one project. */
    @Introspected
    record NewestEvent(Long projectId, Long newest) {}

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface Webhooks extends CrudRepository<Webhook, Long> {

        List<Webhook> findByProjectIdAndEnabledTrue(Long projectId);

        List<Webhook> findByProjectIdOrderById(Long projectId);

        Optional<Webhook> findByHookIdAndProjectId(String hookId, Long projectId);

        List<Webhook> findByIdIn(Collection<Long> ids);

        @Query("SELECT COUNT(*) FROM webhook WHERE project_id = :projectId "
                + "AND (disabled_reason IS NULL OR disabled_reason <> 'removed')")
        long countNotRemoved(Long projectId);

        /**
         * Locks the project's row until the transaction ends: registrations (and hook-network
         * changes) of one project then happen one at a time, so a count checked is a count kept.
         */
        @Query("SELECT id FROM project WHERE id = :projectId FOR UPDATE")
        Long lockProject(Long projectId);
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface Networks extends CrudRepository<HookNetwork, Long> {

        List<HookNetwork> findByProjectIdOrderById(Long projectId);

        void deleteByProjectId(Long projectId);
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface Deliveries extends CrudRepository<WebhookDelivery, Long> {

        /**
         * Those of the fair share ({@link DueDeliveries}) still due that no other dispatcher
         * holds; SKIP LOCKED lets replicas claim disjoint batches.
         */
        @Query("SELECT * FROM webhook_delivery WHERE id IN (:ids) AND status IN ('pending', 'sending') "
                + "AND next_attempt_at <= :now ORDER BY id FOR UPDATE SKIP LOCKED")
        List<WebhookDelivery> claim(List<Long> ids, Instant now);

        /** Leases claimed rows in one statement: a batch costs a round trip, not one per row. */
        @Query(
                "UPDATE webhook_delivery SET status = 'sending', next_attempt_at = :leaseUntil, lease_until = :leaseUntil "
                        + "WHERE id IN (:ids)")
        void lease(List<Long> ids, Instant leaseUntil);

        /** Of these claimed rows, those still leased until {@code leaseUntil}: the claimant's still. */
        @Query(
                "SELECT id FROM webhook_delivery WHERE id IN (:ids) AND status = 'sending' AND lease_until = :leaseUntil "
                        + "FOR UPDATE")
        List<Long> stillLeased(List<Long> ids, Instant leaseUntil);

        @Query("UPDATE webhook_delivery SET status = 'delivered', attempts = attempts + 1, lease_until = NULL, "
                + "last_status_code = :statusCode, last_error = NULL, delivered_at = :deliveredAt WHERE id IN (:ids)")
        void markDelivered(List<Long> ids, int statusCode, Instant deliveredAt);

        List<WebhookDelivery> findByWebhookIdOrderByIdDesc(Long webhookId);

        Optional<WebhookDelivery> findByDeliveryId(String deliveryId);

        List<WebhookDelivery> findByWebhookIdAndStatusIn(Long webhookId, Collection<DeliveryStatus> statuses);
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface Attempts extends CrudRepository<WebhookAttempt, Long> {

        List<WebhookAttempt> findByDeliveryIdInOrderByAttempt(Collection<Long> deliveryIds);
    }
}
