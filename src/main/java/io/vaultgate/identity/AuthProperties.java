package io.vaultgate.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * The policies that carry the operator roles, and the token-lookup cache.
 *
 * @param adminPolicy        the Vault policy that makes a token an admin of the gateway (default {@code vaultgate-admin})
 * @param projectAdminPolicy the policy of a project admin; the project is the token's {@code project} metadata
 *                           (default {@code vaultgate-project-admin})
 * @param deployerPolicy     the policy of a deployer; the project is the token's {@code project} metadata
 *                           (default {@code vaultgate-deployer})
 * @param cacheTtl           how long a token lookup may be reused (never past the token's expiry; default 5s)
 */
@ConfigurationProperties("vaultgate.auth")
public record AuthProperties(@Nullable String adminPolicy, @Nullable String projectAdminPolicy,
                             @Nullable String deployerPolicy, @Nullable Duration cacheTtl) {

    public AuthProperties {
        adminPolicy = adminPolicy == null ? "vaultgate-admin" : adminPolicy;
        projectAdminPolicy = projectAdminPolicy == null ? "vaultgate-project-admin" : projectAdminPolicy;
        deployerPolicy = deployerPolicy == null ? "vaultgate-deployer" : deployerPolicy;
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(5) : cacheTtl;
    }
}
