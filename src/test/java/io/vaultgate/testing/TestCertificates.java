package io.vaultgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away CA and certificates signed by it, made with the {@code openssl} command, laid out
 * as {@code scripts/tls-certs.sh OUT_DIR NAME...} lays them out: {@code ca.crt}, {@code NAME.crt},
 * {@code NAME.key} (PEM). Every certificate names {@code IP:127.0.0.1}, {@code DNS:localhost} and
 * {@code DNS:NAME}.
 */
public final class TestCertificates {

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates make(String... names) {
        try {
            Path dir = Files.createTempDirectory("vaultgate-tls");
            openssl(
                    dir,
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=vaultgate test CA",
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.crt");
            for (String name : names) {
                Files.writeString(
                        dir.resolve(name + ".ext"),
                        "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:" + name + "\n"
                                + "extendedKeyUsage=serverAuth,clientAuth\n",
                        StandardCharsets.US_ASCII);
                openssl(
                        dir,
                        "req",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-subj",
                        "/CN=" + name,
                        "-keyout",
                        name + ".key",
                        "-out",
                        name + ".csr");
                openssl(
                        dir,
                        "x509",
                        "-req",
                        "-in",
                        name + ".csr",
                        "-CA",
                        "ca.crt",
                        "-CAkey",
                        "ca.key",
                        "-CAcreateserial",
                        "-days",
                        "2",
                        "-extfile",
                        name + ".ext",
                        "-out",
                        name + ".crt");
            }
            return new TestCertificates(dir);
        } catch (IOException e) {
            throw new IllegalStateException("could not make test certificates with openssl", e);
        }
    }

    public Path ca() {
        return dir.resolve("ca.crt");
    }

    public Path cert(String name) {
        return dir.resolve(name + ".crt");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    /** A client context that trusts this CA and nothing else. */
    public SSLContext trustingCa() {
        try (InputStream in = Files.newInputStream(ca())) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("could not trust " + ca(), e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile())
                .start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(
                        "openssl " + args[0] + " failed: " + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
