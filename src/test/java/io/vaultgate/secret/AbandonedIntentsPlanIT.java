package io.vaultgate.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The reconciler's look for abandoned intents, every 10 s on every replica, reads the few
 * abandoned scope entries through an index, not every scope entry (bench/run.sh curves flagged the
 * full scan at 1,000 entries). Real MariaDB, with the gateway's own migrations.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AbandonedIntentsPlanIT extends GatewayTest {

    @Test
    void theLookForAbandonedIntentsUsesAnIndexAmongThousandsOfScopeEntries() throws SQLException {
        execute("INSERT INTO project (slug, created_at, created_by) VALUES ('many', NOW(), 'it')");
        long project = count("SELECT id FROM project WHERE slug = 'many'");
        execute("CREATE TABLE it_number (n INT NOT NULL PRIMARY KEY)");
        execute("INSERT INTO it_number (n) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)");
        for (int have = 10; have < 2000; have *= 2) {
            execute("INSERT INTO it_number (n) SELECT n + " + have + " FROM it_number");
        }
        execute("INSERT INTO scope_entry (project_id, entry_path, scope_kind, vault_version, pending_abandoned) "
                + "SELECT " + project + ", CONCAT('many/svc/s-', n), 'service', 1, n = 7 FROM it_number");
        execute("DROP TABLE it_number");
        execute("ANALYZE TABLE scope_entry");

        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet plan =
                        statement.executeQuery("EXPLAIN SELECT * FROM scope_entry WHERE pending_abandoned = TRUE")) {
            assertThat(plan.next()).isTrue();
            assertThat(plan.getString("type")).isNotEqualTo("ALL");
            assertThat(plan.getString("key")).isEqualTo("ix_scope_entry_abandoned");
        }
    }
}
