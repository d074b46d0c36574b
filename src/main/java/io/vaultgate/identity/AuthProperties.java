package io.vaultgate.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;

/**
 * The policies that carry the operator roles. ({@code vaultgate.auth.cache-ttl} is read by the
 * token lookup in the vault package, which depends on nothing here.)
 *
 * @param adminPolicy        the Vault policy that makes a token an admin of the gateway (default {@code vaultgate-admin})
 * @param projectAdminPolicy the policy of a project admin; the project is the token's {@code project} metadata
 *                           (default {@code vaultgate-project-admin})
 * @param deployerPolicy     the policy of a deployer; the project is the token's {@code project} metadata
 *                           (default {@code vaultgate-deployer})
 * @param metricsPolicy      the policy of a metrics scraper: it may read {@code /prometheus} and nothing else
 *                           (default {@code vaultgate-metrics})
 */
@ConfigurationProperties("vaultgate.auth")
public record AuthProperties(@Nullable String adminPolicy, @Nullable String projectAdminPolicy,
                             @Nullable String deployerPolicy, @Nullable String metricsPolicy) {

    @Creator
    public AuthProperties {
        adminPolicy = adminPolicy == null ? "vaultgate-admin" : adminPolicy;
        projectAdminPolicy = projectAdminPolicy == null ? "vaultgate-project-admin" : projectAdminPolicy;
        deployerPolicy = deployerPolicy == null ? "vaultgate-deployer" : deployerPolicy;
        metricsPolicy = metricsPolicy == null ? "vaultgate-metrics" : metricsPolicy;
    }

    /** The default metrics policy. */
    public AuthProperties(@Nullable String adminPolicy, @Nullable String projectAdminPolicy, @Nullable String deployerPolicy) {
        this(adminPolicy, projectAdminPolicy, deployerPolicy, null);
    }
}
