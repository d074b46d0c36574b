package io.vaultgate.project;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface EnvironmentRepository extends CrudRepository<Environment, Long> {

    Optional<Environment> findByProjectIdAndSlug(Long projectId, String slug);

    List<Environment> findByProjectIdOrderBySlug(Long projectId);

    void updateTypeAndUpdatedAt(@io.micronaut.data.annotation.Id Long id, String type, Instant updatedAt);
}
