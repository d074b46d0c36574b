package io.vaultgate.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vaultgate.testing.RealStack;
import io.vaultgate.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * What serving HTTPS costs a boot fetch (not a test): one gateway in production mode on real
 * OpenBao and MariaDB, listening on plain HTTP and on HTTPS at once (Micronaut's dual protocol,
 * with a certificate from a throw-away CA), and a deployment of {@code bench.keys} keys over its
 * five scopes. {@code GET /v1/env} is sampled four ways, alternating in every round, so that the
 * HTTP figures are the baseline of the HTTPS ones in the same run:
 *
 * <ul>
 *   <li><b>keep-alive</b>: one JDK HttpClient per protocol, its connection reused;</li>
 *   <li><b>new connection</b>: a socket per fetch, closed after the answer, as a booting
 *       container makes it; over TLS each is a full handshake (a fresh client context, so no
 *       session is resumed).</li>
 * </ul>
 * Run: {@code bench/run.sh tls}.
 */
public final class TlsBenchmark {

    private static final int KEYS = Integer.getInteger("bench.keys", 100);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 300);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 200);
    private static final int WARMUP_MAX = Integer.getInteger("bench.warmupMax", 500);

    private final RealStack stack = RealStack.forClass(TlsBenchmark.class);
    private final TestCertificates certs = TestCertificates.make("gateway");
    private TrustManagerFactory trust;
    private String token;
    private int httpPort;
    private int httpsPort;

    public static void main(String[] args) throws Exception {
        new TlsBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        httpPort = freePort();
        httpsPort = freePort();
        Map<String, Object> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.put("micronaut.server.port", String.valueOf(httpPort));
        properties.put("micronaut.server.dual-protocol", "true");
        properties.put("vaultgate.tls.enabled", "true");
        properties.put("vaultgate.tls.port", String.valueOf(httpsPort));
        properties.put("vaultgate.tls.cert", certs.cert("gateway").toString());
        properties.put("vaultgate.tls.key", certs.key("gateway").toString());
        trust = trustManagers();
        try (ApplicationContext context = ApplicationContext.run(properties, "production")) {
            context.getBean(EmbeddedServer.class).start();
            URI http = URI.create("http://localhost:" + httpPort);
            URI https = URI.create("https://localhost:" + httpsPort);
            BenchHttp setup = new BenchHttp(stack, http, http);
            token = BenchProject.create(setup, stack.adminToken(), "tls-" + BenchHttp.randomSuffix(), KEYS)
                    .token();
            HttpClient plainClient = client(null);
            HttpClient tlsClient = client(certs.trustingCa());
            Runnable[] ways = {
                () -> fetch(plainClient, http),
                () -> fetch(tlsClient, https),
                () -> fetchOnNewConnection(false),
                () -> fetchOnNewConnection(true)
            };
            int warmedUp = BenchHttp.warmUp(
                    () -> {
                        for (Runnable way : ways) {
                            way.run();
                        }
                    },
                    WARMUP,
                    WARMUP_MAX);
            long[][] samples = new long[ways.length][SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                for (int w = 0; w < ways.length; w++) {
                    long started = System.nanoTime();
                    ways[w].run();
                    samples[w][i] = System.nanoTime() - started;
                }
            }
            System.out.println();
            System.out.println(
                    "GET /v1/env of " + KEYS + " keys over HTTPS vs plain HTTP, same gateway, alternating (ms; "
                            + SAMPLES + " samples each, warm-up " + warmedUp + " rounds, "
                            + Runtime.getRuntime().availableProcessors() + " cores, " + stack + ")");
            System.out.println(String.format(
                    Locale.ROOT,
                    "%-15s | %9s %9s | %9s %9s | %10s %10s",
                    "connection",
                    "http p50",
                    "http p99",
                    "https p50",
                    "https p99",
                    "p50 ratio",
                    "p99 ratio"));
            System.out.println(row("keep-alive", samples[0], samples[1]));
            System.out.println(row("new connection", samples[2], samples[3]));
        }
    }

    private static String row(String name, long[] http, long[] https) {
        long httpP50 = BenchHttp.percentile(http, 50);
        long httpP99 = BenchHttp.percentile(http, 99);
        long httpsP50 = BenchHttp.percentile(https, 50);
        long httpsP99 = BenchHttp.percentile(https, 99);
        return String.format(
                Locale.ROOT,
                "%-15s | %9.2f %9.2f | %9.2f %9.2f | %9.2fx %9.2fx",
                name,
                BenchHttp.ms(httpP50),
                BenchHttp.ms(httpP99),
                BenchHttp.ms(httpsP50),
                BenchHttp.ms(httpsP99),
                (double) httpsP50 / httpP50,
                (double) httpsP99 / httpP99);
    }

    private void fetch(HttpClient client, URI base) {
        BenchHttp.send(
                client,
                HttpRequest.newBuilder(base.resolve("/v1/env"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build());
    }

    /** One request on a socket of its own, read to the end: what a container's first call costs. */
    private void fetchOnNewConnection(boolean tls) {
        try (Socket socket = tls ? handshaken() : new Socket()) {
            if (!tls) {
                socket.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
            }
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/env HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();
            String status = new String(answer, 0, Math.min(answer.length, 12), StandardCharsets.US_ASCII);
            if (!status.equals("HTTP/1.1 200")) {
                throw new IllegalStateException("GET /v1/env on a new connection answered " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS socket from a client context of its own, so that no earlier session is resumed. */
    private Socket handshaken() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", httpsPort), 5000);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", httpsPort, true);
            socket.startHandshake();
            return socket;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private TrustManagerFactory trustManagers() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certs.ca())) {
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    private static HttpClient client(SSLContext tls) {
        HttpClient.Builder builder =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
