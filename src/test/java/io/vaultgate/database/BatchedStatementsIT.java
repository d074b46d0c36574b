package io.vaultgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The shipped datasource settings reach Connector/J on the gateway's own pool, on real MariaDB:
 * a JDBC batch of inserts is sent as one multi-row statement, not one statement a row. Hikari
 * hands {@code data-source-properties} to the driver as they are bound, and Connector/J reads only
 * string values, so a setting that does not reach it is silently ignored: this is checked where
 * the statements land, by the server's own count.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
class BatchedStatementsIT extends GatewayTest {

    @Inject
    TransactionOperations<Connection> transactions;

    @Test
    void aBatchOfInsertsOnTheGatewaysPoolReachesTheServerAsOneStatement() {
        long statements = transactions.executeWrite(status -> {
            Connection connection = status.getConnection();
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMPORARY TABLE batch_probe (id INT NOT NULL PRIMARY KEY)");
                long before = insertsSent(statement);
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO batch_probe (id) VALUES (?)")) {
                    for (int id = 1; id <= 3; id++) {
                        insert.setInt(1, id);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                long sent = insertsSent(statement) - before;
                statement.execute("DROP TEMPORARY TABLE batch_probe");
                return sent;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(statements)
                .as("INSERT statements the server ran for a batch of 3 rows")
                .isEqualTo(1);
    }

    private static long insertsSent(Statement statement) throws SQLException {
        try (ResultSet status = statement.executeQuery("SHOW SESSION STATUS LIKE 'Com_insert'")) {
            status.next();
            return status.getLong(2);
        }
    }
}
