package io.vaultgate.database;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.testing.GatewayProcess;
import io.vaultgate.testing.LocalMariaDb;
import io.vaultgate.testing.PersistentBao;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers on two Galera nodes updating the same rows at once, as when a balancer sends writes to
 * two nodes: Galera certifies each commit and fails the loser with 1213, an autocommit statement
 * included. Every write the gateway makes must be run again then, not answered 503.
 */
class TwoGaleraWritersIT {

    private static final String DEPLOYMENT = "/v1/projects/acme/environments/production/services/api";
    private static final int ROUNDS = 20;
    private static final int TOKENS = 8;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void twoReplicasRevokingOneDeploymentsTokensThroughTwoGaleraNodesBothSucceed(@TempDir Path dir) throws Exception {
        List<LocalMariaDb> nodes = LocalMariaDb.startGaleraPair(dir.resolve("mariadb"), "vaultgate");
        try (PersistentBao bao = PersistentBao.start(dir.resolve("bao"));
                LocalMariaDb first = nodes.get(0);
                LocalMariaDb second = nodes.get(1);
                GatewayProcess one = gateway(bao, first, dir.resolve("gateway-1.log"));
                GatewayProcess two = gateway(bao, second, dir.resolve("gateway-2.log"))) {
            ApiClient viaFirst = new ApiClient(one.address(), bao.adminToken());
            ApiClient viaSecond = new ApiClient(two.address(), bao.adminToken());
            ok(viaFirst.put("/v1/projects/acme", null));
            ok(viaFirst.put("/v1/projects/acme/environments/production", json("type", "production")));
            ok(viaFirst.put("/v1/projects/acme/services/api", null));
            ok(viaFirst.put(DEPLOYMENT, null));

            List<String> failures = new ArrayList<>();
            int answered = 0;
            AtomicReference<String> contended = new AtomicReference<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread other = new Thread(() -> keepUpdating(second, contended, writing), "other-node-writer");
            other.start();
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < TOKENS; i++) {
                        Answer minted = viaFirst.post(DEPLOYMENT + "/tokens", json());
                        ok(minted);
                        if (i == TOKENS / 2) {
                            contended.set(minted.json().path("accessor").asText());
                        }
                    }
                    CountDownLatch go = new CountDownLatch(1);
                    List<CompletableFuture<Answer>> revocations = new ArrayList<>();
                    for (ApiClient replica : List.of(viaFirst, viaSecond)) {
                        revocations.add(CompletableFuture.supplyAsync(() -> {
                            await(go);
                            return replica.delete(DEPLOYMENT + "/tokens");
                        }));
                    }
                    go.countDown();
                    for (CompletableFuture<Answer> revocation : revocations) {
                        Answer answer = revocation.get(60, TimeUnit.SECONDS);
                        answered++;
                        if (answer.status() != 200) {
                            failures.add(answer.status() + " " + answer.code());
                        }
                    }
                }
            } finally {
                writing.set(false);
                other.join(10_000);
            }

            assertThat(failures)
                    .as("of %d revocations through two nodes at once", answered)
                    .isEmpty();
            assertThat(count(second, "SELECT COUNT(*) FROM issued_token WHERE revoked_at IS NULL"))
                    .isZero();
            assertThat(count(first, "SELECT COUNT(*) FROM audit_log WHERE action = 'token.revoke-all'"))
                    .isEqualTo(2L * ROUNDS);
        }
    }

    /** Another node's writer: the contended row changes every 10 ms, committed in autocommit. */
    private static void keepUpdating(LocalMariaDb node, AtomicReference<String> accessor, AtomicBoolean writing) {
        try (Connection connection = DriverManager.getConnection(node.jdbcUrl("vaultgate"), "root", "");
                PreparedStatement update = connection.prepareStatement("UPDATE issued_token"
                        + " SET created_by = IF(created_by = 'other-a', 'other-b', 'other-a') WHERE accessor = ?")) {
            while (writing.get()) {
                String target = accessor.get();
                if (target != null) {
                    update.setString(1, target);
                    try {
                        update.executeUpdate();
                    } catch (SQLException lostCertification) {
                        // This writer loses some rounds too; it only has to keep the row busy.
                    }
                }
                Thread.sleep(10);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static GatewayProcess gateway(PersistentBao bao, LocalMariaDb node, Path log) {
        return GatewayProcess.start(
                Map.of(
                        "datasources.default.url", node.jdbcUrl("vaultgate"),
                        "datasources.default.username", "root",
                        "vaultgate.vault.uri", bao.address()),
                Map.of("VAULT_TOKEN", bao.gatewayToken()),
                log);
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 299);
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
