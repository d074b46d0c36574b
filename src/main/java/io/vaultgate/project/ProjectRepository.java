package io.vaultgate.project;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface ProjectRepository extends CrudRepository<Project, Long> {

    Optional<Project> findBySlug(String slug);

    List<Project> listOrderBySlug();
}
