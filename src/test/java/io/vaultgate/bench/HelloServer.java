package io.vaultgate.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The floor's hello-world server: keep-alive HTTP/1.1 on loopback, one thread per connection,
 * each response written in one segment with TCP_NODELAY. (The JDK's built-in HttpServer writes
 * headers and body separately and meets delayed ACKs: ~40 ms a call, which would flatter the gateway.)
 */
final class HelloServer implements AutoCloseable {

    private static final byte[] RESPONSE =
            ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
                    .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket socket;

    private HelloServer(ServerSocket socket) {
        this.socket = socket;
    }

    static HelloServer start() throws IOException {
        HelloServer server = new HelloServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(server::accept, "hello-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                Thread worker = new Thread(() -> serve(connection), "hello-conn");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void serve(Socket connection) {
        try (connection;
                InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream()) {
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                // A GET has no body: the request ends at the blank line.
                matched = switch (matched) {
                    case 0, 2 -> b == '\r' ? matched + 1 : 0;
                    case 1 -> b == '\n' ? 2 : 0;
                    case 3 -> b == '\n' ? 4 : 0;
                    default -> 0;
                };
                if (matched == 4) {
                    out.write(RESPONSE);
                    out.flush();
                    matched = 0;
                }
            }
        } catch (IOException ignored) {
            // client went away
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
