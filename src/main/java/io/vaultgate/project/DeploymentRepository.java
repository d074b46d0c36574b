package io.vaultgate.project;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface DeploymentRepository extends CrudRepository<Deployment, Long> {

    Optional<Deployment> findByEnvironmentIdAndServiceId(Long environmentId, Long serviceId);

    List<Deployment> findByProjectId(Long projectId);
}
