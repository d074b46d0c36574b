package io.vaultgate.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local OpenBao dev server ({@code bao server -dev}) run as a child of this JVM: in-memory,
 * unsealed, on a free port of 127.0.0.1, with a random root token. It is destroyed when the JVM
 * exits. OpenBao speaks Vault's HTTP API, so everything the gateway does against it holds for
 * Vault.
 */
final class BaoDevServer {

    private static final int ATTEMPTS = 3;

    final String address;
    final String rootToken;
    private final Process process;

    private BaoDevServer(String address, String rootToken, Process process) {
        this.address = address;
        this.rootToken = rootToken;
        this.process = process;
    }

    /**
     * The {@code bao} executable: {@code VAULTGATE_BAO_BIN} if set, else the first on PATH, else
     * the usual places pip puts console scripts (pyenv shims, ~/.local/bin, /usr/local/bin).
     */
    static Optional<Path> findBinary() {
        String explicit = System.getenv("VAULTGATE_BAO_BIN");
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        return findOnPath("bao");
    }

    static Optional<Path> findOnPath(String name) {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        String home = System.getProperty("user.home");
        String pyenvRoot = System.getenv("PYENV_ROOT");
        if (pyenvRoot != null && !pyenvRoot.isBlank()) {
            candidates.add(Path.of(pyenvRoot, "shims", name));
        }
        candidates.add(Path.of(home, ".pyenv", "shims", name));
        candidates.add(Path.of(home, ".local", "bin", name));
        candidates.add(Path.of("/usr/local/bin", name));
        return candidates.stream()
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    /** Starts a dev server and waits until {@code sys/health} answers 200. */
    static BaoDevServer start(Path binary, Path logFile) {
        String rootToken = "root-" + RealStack.randomHex(16);
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            // Dev mode also binds the next port for clustering; a clash shows as an early exit.
            String address = "127.0.0.1:" + freePort();
            ProcessBuilder builder = new ProcessBuilder(
                            binary.toString(),
                            "server",
                            "-dev",
                            "-dev-root-token-id=" + rootToken,
                            "-dev-listen-address=" + address,
                            "-dev-no-store-token") // leave the developer's ~/.vault-token alone
                    .redirectErrorStream(true)
                    .redirectOutput(
                            attempt == 1
                                    ? ProcessBuilder.Redirect.to(logFile.toFile())
                                    : ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // The server must not pick up a developer's client settings.
            builder.environment().keySet().removeIf(key -> key.startsWith("VAULT_") || key.startsWith("BAO_"));
            Process process;
            try {
                Files.createDirectories(logFile.getParent());
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + binary + ": " + e.getMessage(), e);
            }
            BaoDevServer server = new BaoDevServer("http://" + address, rootToken, process);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "bao-dev-server-stop"));
            if (new VaultHttp(server.address).awaitHealthy(Duration.ofSeconds(30), process.toHandle())) {
                return server;
            }
            failures.add(address
                    + (process.isAlive() ? " (no healthy answer in 30 s)" : " (exited " + exitCode(process) + ")"));
            server.stop();
        }
        throw new IllegalStateException("bao server -dev did not become healthy on " + failures + "; see " + logFile);
    }

    /** Stops the server and anything it started; idempotent. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    long pid() {
        return process.pid();
    }

    private static String exitCode(Process process) {
        try {
            return String.valueOf(process.exitValue());
        } catch (IllegalThreadStateException running) {
            return "?";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}
