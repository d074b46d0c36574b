package io.vaultgate.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HTTPS served by the gateway itself. application.yml hands these to Micronaut's
 * {@code micronaut.server.ssl} (PEM certificate chain and private key); with TLS on, the gateway
 * listens on {@code port} for HTTPS only, so no bearer token is ever taken over plain HTTP.
 *
 * @param enabled whether the gateway serves HTTPS ({@code VAULTGATE_TLS_ENABLED})
 * @param port    the HTTPS port ({@code VAULTGATE_TLS_PORT})
 * @param cert    PEM file of the certificate chain, the gateway's own certificate first
 *                ({@code VAULTGATE_TLS_CERT})
 * @param key     PEM file of the private key, unencrypted PKCS#8 or PKCS#1 ({@code VAULTGATE_TLS_KEY})
 */
@ConfigurationProperties("vaultgate.tls")
public record TlsProperties(boolean enabled, int port, String cert, String key) {

    /**
     * Refuses a half-made setting at start rather than serving something other than what the
     * operator meant: TLS on without a readable certificate and key, or a certificate and key
     * given while TLS is off (the gateway would serve plain HTTP).
     */
    void check() {
        boolean certGiven = cert != null && !cert.isBlank();
        boolean keyGiven = key != null && !key.isBlank();
        if (!enabled) {
            if (certGiven || keyGiven) {
                throw new IllegalStateException(
                        "vaultgate.tls.cert or vaultgate.tls.key is set but TLS is off: set "
                                + "VAULTGATE_TLS_ENABLED=true to serve HTTPS, or unset VAULTGATE_TLS_CERT and VAULTGATE_TLS_KEY");
            }
            return;
        }
        requireReadable("vaultgate.tls.cert (VAULTGATE_TLS_CERT)", cert);
        requireReadable("vaultgate.tls.key (VAULTGATE_TLS_KEY)", key);
    }

    private static void requireReadable(String what, String file) {
        if (file == null || file.isBlank()) {
            throw new IllegalStateException(what + " must name a PEM file when TLS is on");
        }
        if (!Files.isReadable(Path.of(file))) {
            throw new IllegalStateException(what + " names " + file + ", which is not a readable file");
        }
    }
}
