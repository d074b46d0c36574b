package io.vaultgate.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * @param adminPolicy the Vault policy that makes a token an admin of the gateway
 * @param cacheTtl    how long a token lookup may be reused (never past the token's expiry)
 */
@ConfigurationProperties("vaultgate.auth")
public record AuthProperties(String adminPolicy, Duration cacheTtl) {
}
