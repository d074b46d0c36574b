package io.vaultgate.identity;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface IssuedTokenRepository extends CrudRepository<IssuedTokenRecord, String> {

    /**
     * Marks these tokens revoked; those already marked (by another replica, or by this
     * transaction's first run) keep their mark.
     */
    @Query("UPDATE issued_token SET revoked_at = :at, revoked_by = :by "
            + "WHERE accessor IN (:accessors) AND revoked_at IS NULL")
    void markRevoked(Collection<String> accessors, Instant at, String by);

    /** Accessors of the tokens revoked at or after {@code since}, by any replica. */
    @Query("SELECT accessor FROM issued_token WHERE revoked_at >= :since")
    List<String> findAccessorsRevokedSince(Instant since);

    Optional<IssuedTokenRecord> findByTokenHash(String tokenHash);

    /** Tokens of a deployment that may still work: not revoked here and not expired. */
    /** A project's tokens, in the pageable's order; the newest first when listed. */
    List<IssuedTokenRecord> findByProjectId(Long projectId, Pageable pageable);

    /** A project's workload tokens (the ones with an environment), in the pageable's order. */
    List<IssuedTokenRecord> findByProjectIdAndEnvironmentIsNotNull(Long projectId, Pageable pageable);

    List<IssuedTokenRecord> findByDeploymentIdAndRevokedAtIsNullAndExpiresAtGreaterThan(Long deploymentId, Instant now);
}
