package io.vaultgate.project;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface DeploymentRepository extends CrudRepository<Deployment, Long> {

    String REF = "SELECT d.id AS deployment_id, p.id AS project_id, p.slug AS project, e.slug AS environment, "
            + "s.slug AS service, e.type AS environment_type "
            + "FROM deployment d JOIN project p ON p.id = d.project_id "
            + "JOIN environment e ON e.id = d.environment_id JOIN service s ON s.id = d.service_id ";

    Optional<Deployment> findByEnvironmentIdAndServiceId(Long environmentId, Long serviceId);

    List<Deployment> findByProjectId(Long projectId);

    /** A deployment with its environment's type, in one statement. */
    @Query(REF + "WHERE p.slug = :project AND e.slug = :environment AND s.slug = :service")
    Optional<DeploymentRef> findRef(String project, String environment, String service);

    /**
     * Locks the row until the transaction ends: a deletion waits for it, and so does every other
     * lock on the row. Dev mode's H2 knows no shared lock, so there it is {@link #findIdShared}'s stand-in.
     */
    @Query("SELECT id FROM deployment WHERE id = :id FOR UPDATE")
    Optional<Long> findIdLocked(Long id);

    /**
     * Share-locks the row until the transaction ends: a deletion waits for it, other shared holders
     * do not. MySQL and MariaDB both take LOCK IN SHARE MODE (MariaDB 10.11 has no FOR SHARE).
     */
    @Query("SELECT id FROM deployment WHERE id = :id LOCK IN SHARE MODE")
    Optional<Long> findIdShared(Long id);

    @Query(REF + "WHERE p.id = :projectId AND e.slug = :environment ORDER BY s.slug")
    List<DeploymentRef> findRefsInEnvironment(Long projectId, String environment);

    @Query(REF + "WHERE p.id = :projectId ORDER BY e.slug, s.slug")
    List<DeploymentRef> findRefsOfProject(Long projectId);
}
