package io.vaultgate.delivery;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
interface RequirementRepository extends CrudRepository<Requirement, Long> {

    List<Requirement> findByServiceIdOrderByKeyName(Long serviceId);

    void deleteByServiceId(Long serviceId);

    /** The slugs of the project's services that require {@code keyName}. */
    @Query("SELECT s.slug FROM service_requirement r JOIN service s ON s.id = r.service_id "
            + "WHERE s.project_id = :projectId AND r.key_name = :keyName")
    List<String> findServicesRequiring(Long projectId, String keyName);
}
