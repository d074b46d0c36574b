package io.vaultgate.vault;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;

/**
 * Where the gateway's own Vault token comes from. With a token file, the file wins over
 * {@code vaultgate.vault.token} and is read again while the gateway runs, so an operator rotates
 * the token by replacing the file ({@code vault-config/README.md}). How often it is read again
 * ({@code vaultgate.vault.token-file-check}) and how often the token's ttl is looked at for
 * renewal ({@code vaultgate.vault.token-renew-check}) are bound by {@link GatewayTokenUpkeep}'s
 * {@code @Scheduled}, which takes an expression; their defaults are in application.yml.
 *
 * @param tokenFile a file holding the token and nothing else (a final newline is allowed);
 *                  blank: the token is {@code vaultgate.vault.token}, fixed for the run
 */
@ConfigurationProperties("vaultgate.vault")
public record GatewayTokenProperties(String tokenFile) {

    /** The token file, or null when the token is {@code vaultgate.vault.token}. */
    Path file() {
        return tokenFile == null || tokenFile.isBlank() ? null : Path.of(tokenFile);
    }
}
