package io.vaultgate.vault;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the gateway's own Vault token comes from and how it is kept alive. With a token file, the
 * file wins over {@code vaultgate.vault.token} and is read again every {@code tokenFileCheck}, so
 * an operator rotates the token by replacing the file ({@code vault-config/README.md}).
 *
 * @param tokenFile       a file holding the token and nothing else (a final newline is allowed);
 *                        blank: the token is {@code vaultgate.vault.token}, fixed for the run
 * @param tokenFileCheck  how often the file is read again; a call Vault refuses with 403 reads it
 *                        at once too
 * @param tokenRenewCheck how often the token's remaining ttl is looked at; a renewable token is
 *                        renewed once half of its period (or ttl) is spent
 */
@ConfigurationProperties("vaultgate.vault")
public record GatewayTokenProperties(String tokenFile, Duration tokenFileCheck, Duration tokenRenewCheck) {

    /** The token file, or null when the token is {@code vaultgate.vault.token}. */
    Path file() {
        return tokenFile == null || tokenFile.isBlank() ? null : Path.of(tokenFile);
    }
}
