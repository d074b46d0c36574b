package io.vaultgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.jdbc.JdbcConnection;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The Connector/J settings of application.yml reach the driver of the gateway's own pool (they
 * are a map the pool hands the driver; a misspelt key or a pool that drops them would go
 * unnoticed but for the CPU a mint or an import costs): on real MariaDB.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
class DriverSettingsIT extends GatewayTest {

    @Inject
    DataSource dataSource;

    @Test
    void theGatewaysConnectionsCacheParsedStatementsAndKeepSessionStateLocally() throws SQLException {
        try (Connection connection =
                DelegatingDataSource.unwrapDataSource(dataSource).getConnection()) {
            PropertySet settings = connection.unwrap(JdbcConnection.class).getPropertySet();

            assertThat(settings.getBooleanProperty(PropertyKey.cachePrepStmts).getValue())
                    .isTrue();
            assertThat(settings.getIntegerProperty(PropertyKey.prepStmtCacheSize)
                            .getValue())
                    .isEqualTo(250);
            assertThat(settings.getBooleanProperty(PropertyKey.useLocalSessionState)
                            .getValue())
                    .isTrue();
            assertThat(settings.getBooleanProperty(PropertyKey.cacheServerConfiguration)
                            .getValue())
                    .isTrue();
            assertThat(settings.getBooleanProperty(PropertyKey.rewriteBatchedStatements)
                            .getValue())
                    .isTrue();
        }
    }
}
