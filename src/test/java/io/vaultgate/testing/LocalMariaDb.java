package io.vaultgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of its own (Debian's {@code mariadbd}, a data folder and a port of its own),
 * so that a fault test can kill -9 and freeze it without touching the one other tests share.
 * Grants are skipped: it listens on 127.0.0.1 only and lives as long as the test.
 */
public final class LocalMariaDb extends Part {

    private final Path dir;
    private final int port;
    private final List<String> options;

    private LocalMariaDb(Path dir, List<String> options) {
        this(dir, freePort(), options);
    }

    private LocalMariaDb(Path dir, int port, List<String> options) {
        this.dir = dir;
        this.port = port;
        this.options = List.copyOf(options);
    }

    public static LocalMariaDb start(Path dir, String database) {
        return start(new LocalMariaDb(dir, List.of()), database);
    }

    /**
     * The same server as a Galera cluster of one node (wsrep on, founding its own cluster): what
     * Flyway and the gateway see through the cluster's single-writer balancer.
     */
    public static LocalMariaDb startGalera(Path dir, String database) {
        int galera = freePort();
        return start(
                new LocalMariaDb(
                        dir,
                        List.of(
                                "--wsrep-on=ON",
                                "--wsrep-provider=/usr/lib/galera/libgalera_smm.so",
                                "--wsrep-cluster-address=gcomm://",
                                "--wsrep-new-cluster",
                                "--wsrep-cluster-name=vaultgate-test",
                                "--wsrep-node-address=127.0.0.1:" + galera,
                                "--wsrep-provider-options=base_port=" + galera + ";gmcast.listen_addr=tcp://127.0.0.1:"
                                        + galera + ";gcache.size=16M",
                                "--binlog-format=ROW",
                                "--innodb-autoinc-lock-mode=2")),
                database);
    }

    /**
     * Two Galera nodes of one cluster, each written directly (no single-writer balancer): what two
     * replicas see when writes reach two nodes, where Galera certifies at commit and fails the
     * loser of two updates of one row with 1213. The database is made on the first node; the
     * second joins by a mysqldump state transfer (rsync's daemon, started by root, drops to
     * nobody and cannot write the copy) and is returned once it is synced.
     */
    public static List<LocalMariaDb> startGaleraPair(Path dir, String database) {
        int first = freePort();
        int second = freePort();
        String cluster = "gcomm://127.0.0.1:" + first + ",127.0.0.1:" + second;
        LocalMariaDb founder =
                start(new LocalMariaDb(dir.resolve("node-1"), galeraNode(first, "gcomm://", null)), database);
        int joinerPort = freePort();
        LocalMariaDb joiner =
                new LocalMariaDb(dir.resolve("node-2"), joinerPort, galeraNode(second, cluster, joinerPort));
        try {
            joiner.install();
            joiner.restart();
            await("the second galera node to sync", Duration.ofSeconds(120), joiner::synced);
        } catch (RuntimeException e) {
            joiner.close();
            founder.close();
            throw e;
        }
        return List.of(founder, joiner);
    }

    /** @param joinsAt the joining node's SQL port, where the donor's dump is loaded; null founds the cluster */
    private static List<String> galeraNode(int galera, String clusterAddress, Integer joinsAt) {
        List<String> options = new ArrayList<>(List.of(
                "--wsrep-on=ON",
                "--wsrep-provider=/usr/lib/galera/libgalera_smm.so",
                "--wsrep-cluster-address=" + clusterAddress,
                "--wsrep-cluster-name=vaultgate-pair",
                "--wsrep-node-address=127.0.0.1:" + galera,
                "--wsrep-provider-options=base_port=" + galera + ";gmcast.listen_addr=tcp://127.0.0.1:" + galera
                        + ";ist.recv_addr=127.0.0.1:" + freePort() + ";gcache.size=16M",
                "--wsrep-sst-method=mysqldump",
                "--wsrep-sst-auth=root:",
                "--binlog-format=ROW",
                "--innodb-autoinc-lock-mode=2"));
        if (joinsAt == null) {
            options.add("--wsrep-new-cluster");
        } else {
            options.add("--wsrep-sst-receive-address=127.0.0.1:" + joinsAt);
        }
        return options;
    }

    private boolean synced() {
        try (Connection connection = DriverManager.getConnection(
                        serverUrl() + "?" + Servers.JDBC_OPTIONS + "&connectTimeout=1000", "root", "");
                Statement statement = connection.createStatement();
                java.sql.ResultSet state = statement.executeQuery("SHOW STATUS LIKE 'wsrep_local_state_comment'")) {
            return state.next() && "Synced".equals(state.getString(2));
        } catch (SQLException notYet) {
            return false;
        }
    }

    private static LocalMariaDb start(LocalMariaDb db, String database) {
        db.install();
        db.restart();
        if (db.options.contains("--wsrep-on=ON")) {
            // A Galera node answers before it takes statements ("WSREP has not yet prepared node").
            await("the galera node to be ready", Duration.ofSeconds(120), db::synced);
        }
        try (Connection connection =
                        DriverManager.getConnection(db.serverUrl() + "?" + Servers.JDBC_OPTIONS, "root", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
        return db;
    }

    @Override
    public String name() {
        return "mariadb";
    }

    public String jdbcUrl(String database) {
        return serverUrl() + database + "?" + Servers.JDBC_OPTIONS;
    }

    private String serverUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/";
    }

    @Override
    public void restart() {
        try {
            List<String> command = new ArrayList<>(List.of(
                    "/usr/sbin/mariadbd",
                    "--no-defaults",
                    "--datadir=" + dir.resolve("data"),
                    "--port=" + port,
                    "--bind-address=127.0.0.1",
                    "--socket=" + dir.resolve("mariadb.sock"),
                    "--pid-file=" + dir.resolve("mariadb.pid"),
                    "--user=root",
                    "--skip-grant-tables",
                    "--innodb-buffer-pool-size=64M",
                    "--innodb-log-file-size=16M"));
            command.addAll(options);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("mariadb.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start mariadbd", e);
        }
        await("mariadb", Duration.ofSeconds(60), this::answers);
    }

    private boolean answers() {
        try (Connection connection = DriverManager.getConnection(
                serverUrl() + "?" + Servers.JDBC_OPTIONS + "&connectTimeout=1000", "root", "")) {
            return connection.isValid(1);
        } catch (SQLException notYet) {
            return false;
        }
    }

    private void install() {
        try {
            Files.createDirectories(dir.resolve("data"));
            Process install = new ProcessBuilder(
                            "mariadb-install-db",
                            "--no-defaults",
                            "--datadir=" + dir.resolve("data"),
                            "--user=root",
                            "--auth-root-authentication-method=normal",
                            "--skip-test-db")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("install.log").toFile()))
                    .start();
            if (!install.waitFor(120, TimeUnit.SECONDS) || install.exitValue() != 0) {
                throw new IllegalStateException("mariadb-install-db failed; see " + dir.resolve("install.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run mariadb-install-db", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
