package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsPropertiesTest {

    @TempDir
    Path dir;

    @Test
    void tlsOffWithNoFilesIsPlainHttp() {
        assertThatCode(() -> new TlsProperties(false, 8443, "", "").check()).doesNotThrowAnyException();
    }

    @Test
    void aCertificateGivenWhileTlsIsOffStopsTheStartRatherThanServePlainHttp() {
        assertThatThrownBy(() -> new TlsProperties(false, 8443, "/etc/tls/gateway.crt", "").check())
                .hasMessageContaining("VAULTGATE_TLS_ENABLED=true");
    }

    @Test
    void tlsOnNeedsAReadableCertificateAndKey() throws Exception {
        Path cert = Files.writeString(dir.resolve("gateway.crt"), "-----BEGIN CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("gateway.key"), "-----BEGIN PRIVATE KEY-----\n");

        assertThatThrownBy(() -> new TlsProperties(true, 8443, cert.toString(), "").check())
                .hasMessageContaining("VAULTGATE_TLS_KEY");
        assertThatThrownBy(() ->
                        new TlsProperties(true, 8443, dir.resolve("nope.crt").toString(), key.toString()).check())
                .hasMessageContaining("nope.crt")
                .hasMessageContaining("VAULTGATE_TLS_CERT");
        assertThatCode(() -> new TlsProperties(true, 8443, cert.toString(), key.toString()).check())
                .doesNotThrowAnyException();
    }
}
