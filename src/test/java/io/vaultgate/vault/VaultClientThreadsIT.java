package io.vaultgate.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.testing.RealStack;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.vault.core.VaultTemplate;

/**
 * The gateway's own Vault client calls Vault on the caller's thread and its fixed pool: on real
 * OpenBao, a burst of calls starts no thread per call (the JDK client used to complete each on
 * {@code CompletableFuture}'s default executor, a new thread per task on two or fewer CPUs), and a
 * Vault that accepts a connection and never answers still fails the call after the read timeout.
 */
class VaultClientThreadsIT {

    private static final int CALLS = 200;

    private final RealStack stack = RealStack.forClass(getClass());

    @Test
    void aBurstOfVaultCallsStartsNoThreadPerCall() {
        VaultTemplate vault = VaultClientFactory.create(
                properties(URI.create(stack.vaultAddress()), Duration.ofSeconds(5)), VaultPoolProperties.defaults());
        vault.read("auth/token/lookup-self"); // the client's own pool and selector start here
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long startedBefore = threads.getTotalStartedThreadCount();

        for (int i = 0; i < CALLS; i++) {
            assertThat(vault.read("auth/token/lookup-self")).isNotNull();
        }

        assertThat(threads.getTotalStartedThreadCount() - startedBefore)
                .as("threads started by %d Vault calls", CALLS)
                .isLessThan(10);
    }

    @Test
    void aVaultThatNeverAnswersFailsTheCallAfterTheReadTimeout() throws IOException {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            VaultTemplate vault = VaultClientFactory.create(
                    properties(URI.create("http://127.0.0.1:" + silent.getLocalPort()), Duration.ofSeconds(1)),
                    VaultPoolProperties.defaults());
            long started = System.nanoTime();

            assertThatThrownBy(() -> vault.read("auth/token/lookup-self")).isInstanceOf(RuntimeException.class);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private VaultProperties properties(URI address, Duration readTimeout) {
        return new VaultProperties(
                address,
                stack.gatewayToken(),
                stack.kvMount(),
                stack.pathPrefix(),
                Duration.ofSeconds(2),
                readTimeout,
                400,
                null);
    }
}
