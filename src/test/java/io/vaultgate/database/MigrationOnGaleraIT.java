package io.vaultgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.testing.GatewayProcess;
import io.vaultgate.testing.LocalMariaDb;
import io.vaultgate.testing.PersistentBao;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas started at once on an empty schema of a Galera cluster: Flyway takes no named lock
 * where wsrep is on, so without a lock of the gateway's own they raced to the same history rows.
 */
class MigrationOnGaleraIT {

    private static final int REPLICAS = 3;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void threeReplicasStartedAtOnceOnAnEmptyGaleraSchemaAllComeUpAndMigrateOnce(@TempDir Path dir) throws Exception {
        try (PersistentBao bao = PersistentBao.start(dir.resolve("bao"));
                LocalMariaDb db = LocalMariaDb.startGalera(dir.resolve("mariadb"), "vaultgate")) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                Path log = dir.resolve("gateway-" + i + ".log");
                starting.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return GatewayProcess.start(
                            Map.of(
                                    "datasources.default.url", db.jdbcUrl("vaultgate"),
                                    "datasources.default.username", "root",
                                    "vaultgate.vault.uri", bao.address()),
                            Map.of("VAULT_TOKEN", bao.gatewayToken()),
                            log);
                }));
            }
            go.countDown();
            List<GatewayProcess> gateways = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (CompletableFuture<GatewayProcess> replica : starting) {
                try {
                    gateways.add(replica.get(4, TimeUnit.MINUTES));
                } catch (Exception e) {
                    failures.add(why(dir.resolve("gateway-" + starting.indexOf(replica) + ".log")));
                }
            }
            try {
                assertThat(failures).as("replicas that did not come up").isEmpty();
                assertThat(gateways).hasSize(REPLICAS);
                assertThat(historyRows(db))
                        .as("one successful history row per migration")
                        .isEqualTo(migrations(db));
            } finally {
                gateways.forEach(GatewayProcess::close);
            }
        }
    }

    /** The lines of a replica's log that say why it stopped. */
    private static String why(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("Exception") || line.contains("ERROR"))
                    .limit(6)
                    .collect(Collectors.joining("\n"));
        }
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long historyRows(LocalMariaDb db) throws Exception {
        return count(db, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1");
    }

    private static long migrations(LocalMariaDb db) throws Exception {
        return count(db, "SELECT COUNT(DISTINCT version) FROM flyway_schema_history");
    }

    private static long count(LocalMariaDb db, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl("vaultgate"), "root", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
