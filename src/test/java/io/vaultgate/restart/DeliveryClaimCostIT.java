package io.vaultgate.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A claim of due deliveries costs what it claims, not the backlog: a change to 10,000 deployments
 * owes one hook 10,000 deliveries, claimed 16 at a time, and a claim that ranked every due row
 * made the last webhook arrive 80 times later for 10 times the deployments (bench/run.sh
 * curves). Real MariaDB; the rows are inserted by SQL and the dispatcher never polls, so nothing
 * is sent.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryClaimCostIT extends GatewayTest {

    private static final int BACKLOG = 5000;
    private static final int PER_HOOK = 16;

    @Inject
    DueDeliveries due;

    @Inject
    ConnectionOperations<Connection> connections;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vaultgate.restart.poll-interval", "1h");
    }

    @BeforeAll
    void oneHookOwesAThousandsOfDeliveries() throws SQLException {
        execute("INSERT INTO project (slug, created_at, created_by) VALUES ('backlog', NOW(), 'it')");
        long project = count("SELECT id FROM project WHERE slug = 'backlog'");
        for (int hook = 0; hook < 2; hook++) {
            execute("INSERT INTO webhook (hook_id, project_id, url, enabled, created_at, created_by) VALUES ('hook_"
                    + hook + "', " + project + ", 'http://127.0.0.1:9/', TRUE, NOW(), 'it')");
        }
        long firstHook = count("SELECT MIN(id) FROM webhook WHERE project_id = " + project);
        execute("CREATE TABLE it_number (n INT NOT NULL PRIMARY KEY)");
        execute("INSERT INTO it_number (n) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)");
        for (int have = 10; have < BACKLOG; have *= 2) {
            execute("INSERT INTO it_number (n) SELECT n + " + have + " FROM it_number");
        }
        execute("INSERT INTO restart_event (event_id, project_id, deployment_id, environment, service, reason, "
                + "change_set_ids, key_names, config_revision, actor, created_at, deliver_after) "
                + "SELECT CONCAT('evt_', n), " + project + ", n, 'prod', 'api', 'secret-change', '[]', '[]', "
                + "REPEAT('0', 64), 'it', NOW(), NOW() FROM it_number WHERE n < " + BACKLOG);
        // Most of the backlog is the first hook's; the second's few come last.
        execute("INSERT INTO webhook_delivery (delivery_id, webhook_id, event_id, status, attempts, "
                + "next_attempt_at, created_at) SELECT CONCAT('dlv_', n), " + firstHook + " + (n >= " + (BACKLOG - 10)
                + "), CONCAT('evt_', n), 'pending', 0, NOW() - INTERVAL 1 MINUTE, NOW() FROM it_number WHERE n < "
                + BACKLOG);
        execute("DROP TABLE it_number");
        execute("ANALYZE TABLE webhook_delivery");
    }

    @Test
    void aClaimReadsRowsForWhatItClaimsNotForTheBacklog() {
        long[] rowsRead = new long[1];
        List<Long> ids = connections.executeRead(status -> {
            long before = rowsRead(status.getConnection());
            List<Long> claimed = due.ids(Instant.now(), PER_HOOK, 100, 100);
            rowsRead[0] = rowsRead(status.getConnection()) - before;
            return claimed;
        });
        assertThat(ids)
                .as("each hook's oldest %d, the second hook's too", PER_HOOK)
                .hasSize(PER_HOOK + 10);
        assertThat(rowsRead[0])
                .as("rows read to pick %d of a backlog of %d", ids.size(), BACKLOG)
                .isLessThan(BACKLOG / 10);
    }

    @Test
    void aHooksDueDeliveriesAreReadThroughTheHookDueIndex() throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet plan = statement.executeQuery("EXPLAIN " + DueDeliveries.explainable())) {
            while (plan.next()) {
                keys.add(plan.getString("table") + ":" + plan.getString("type") + ":" + plan.getString("key"));
            }
        }
        assertThat(keys).isNotEmpty().allMatch(k -> k.endsWith(":ix_webhook_delivery_hook_due"), "uses the index");
    }

    /** The session's handler reads (index and table rows, read in order or at random) so far. */
    private static long rowsRead(Connection connection) {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read%'")) {
            long sum = 0;
            while (rows.next()) {
                sum += rows.getLong(2);
            }
            return sum;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
