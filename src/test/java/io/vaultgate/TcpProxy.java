package io.vaultgate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay a test can cut: the gateway talks to the real server through it, and
 * {@link #cut()} makes the server vanish from the gateway's point of view (open connections
 * drop, new ones are refused) without touching the server other test classes share.
 */
public final class TcpProxy implements AutoCloseable {

    private volatile ServerSocket listener;
    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;
    private final Object answersGate = new Object();
    private boolean answersHeld;
    private volatile byte[] cutBefore;
    private volatile byte[] holdFrom;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener = listen(0);
        port = listener.getLocalPort();
        startAccepting();
    }

    public int port() {
        return port;
    }

    /**
     * Stops listening: a connection attempt is refused (ECONNREFUSED), so a request through the
     * relay certainly never reaches the server. Open connections drop. {@link #listenAgain()} undoes it.
     */
    public void refuseConnections() {
        cut();
        closeQuietly(listener);
    }

    /** Listens on the same port again after {@link #refuseConnections()}. */
    public void listenAgain() {
        listener = listen(port);
        restore();
        startAccepting();
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startAccepting() {
        ServerSocket accepting = listener;
        Thread acceptor = new Thread(() -> accept(accepting), "tcp-proxy-" + targetPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Drops every open connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        open = false;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    public void restore() {
        open = true;
    }

    /**
     * Cuts the relay (as {@link #cut()}) the moment a request holding {@code text} (ASCII, such as
     * a request line) is about to pass: that request certainly never reaches the server, and
     * everything before it did. Once only.
     */
    public void cutBefore(String text) {
        cutBefore = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Holds back the server's answers (as {@link #holdAnswers()}) from the moment a request holding
     * {@code text} passes: that request reaches the server, but neither its answer nor any later one
     * reaches the client until {@link #releaseAnswers()}. Once only.
     */
    public void holdAnswersFrom(String text) {
        holdFrom = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Whether answers are being held now. */
    public boolean answersHeld() {
        synchronized (answersGate) {
            return answersHeld;
        }
    }

    private boolean cutsBefore(byte[] buffer, int length) {
        if (holdFrom != null && contains(buffer, length, holdFrom)) {
            holdFrom = null;
            holdAnswers();
        }
        byte[] needle = cutBefore;
        if (needle == null || !contains(buffer, length, needle)) {
            return false;
        }
        cutBefore = null;
        cut();
        return true;
    }

    private static boolean contains(byte[] buffer, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Holds back what the server sends until {@link #releaseAnswers()}: requests still reach the
     * server, which answers, but the gateway sees the answer only on release (an answer in flight).
     */
    public void holdAnswers() {
        synchronized (answersGate) {
            answersHeld = true;
        }
    }

    public void releaseAnswers() {
        synchronized (answersGate) {
            answersHeld = false;
            answersGate.notifyAll();
        }
    }

    private void awaitAnswersReleased() throws IOException {
        synchronized (answersGate) {
            long giveUpAt = System.nanoTime() + 60_000_000_000L;
            while (answersHeld && System.nanoTime() < giveUpAt) {
                try {
                    answersGate.wait(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while holding an answer", e);
                }
            }
        }
    }

    @Override
    public void close() {
        cut();
        closeQuietly(listener);
    }

    private void accept(ServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (!open) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 2000);
                sockets.add(client);
                sockets.add(upstream);
                pipe(client, upstream, false);
                pipe(upstream, client, true);
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean answers) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            if (answers) {
                                awaitAnswersReleased();
                            } else if (cutsBefore(buffer, n)) {
                                return;
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // the other side went away, or the test cut the proxy
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "tcp-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
