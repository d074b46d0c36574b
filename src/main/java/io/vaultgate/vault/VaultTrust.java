package io.vaultgate.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom the gateway's Vault clients trust: with {@code vaultgate.vault.ca-cert} set, only the
 * certificates in that PEM file (a private CA, as Vault's listeners usually have); unset, the
 * JDK's default trust store. One {@link SSLContext} serves both clients, so both refuse the same
 * servers.
 */
final class VaultTrust {

    private VaultTrust() {}

    /** The context trusting exactly the CA file's certificates, or empty for the JDK's defaults. */
    static Optional<SSLContext> of(VaultProperties vault) {
        String file = vault.caCert();
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(file);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(path)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "vaultgate.vault.ca-cert (VAULT_CACERT): cannot read " + path + ": "
                            + e.getClass().getSimpleName(),
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "vaultgate.vault.ca-cert (VAULT_CACERT): " + path + " is not a PEM certificate file", e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException(
                    "vaultgate.vault.ca-cert (VAULT_CACERT): " + path + " holds no PEM certificate");
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("vault-ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("vaultgate.vault.ca-cert (VAULT_CACERT): cannot trust " + path, e);
        }
    }
}
