package io.vaultgate.identity;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface IdentityBindingRepository extends CrudRepository<IdentityBinding, Long> {

    List<IdentityBinding> findByIssuer(String issuer);

    Optional<IdentityBinding> findByMatchHash(String matchHash);
}
