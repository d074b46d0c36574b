package io.vaultgate.vault;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.net.URI;
import java.time.Duration;

/**
 * How the gateway reaches Vault (production mode). The token comes from the environment
 * ({@code VAULT_TOKEN}) and holds only the gateway policy from {@code vault-config/}.
 *
 * @param uri            Vault's address
 * @param token          the gateway's own token, never a root token
 * @param mount          the KV v2 mount that holds the values
 * @param pathPrefix     the folder inside the mount under which every project lives
 * @param connectTimeout connect timeout for one Vault call
 * @param readTimeout    read timeout for one Vault call
 * @param keysPerWrite   most keys one KV write carries; an entry with more is written in several
 *                       versions. Two strings a key: keep {@code 2 × this + 10} within the
 *                       listener's {@code max_request_json_strings} (1,000 unless raised)
 * @param caCert         a PEM file of the CA certificates that sign Vault's TLS certificate; only
 *                       those are trusted. Blank: the JDK's default trust store
 */
@ConfigurationProperties("vaultgate.vault")
public record VaultProperties(
        URI uri,
        String token,
        String mount,
        String pathPrefix,
        Duration connectTimeout,
        Duration readTimeout,
        int keysPerWrite,
        String caCert) {

    @Override
    public String toString() {
        return "VaultProperties[uri=" + uri + ", mount=" + mount + ", pathPrefix=" + pathPrefix + ", caCert=" + caCert
                + "]";
    }
}
