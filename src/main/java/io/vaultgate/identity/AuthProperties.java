package io.vaultgate.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;

/**
 * The policies that carry the roles, and how callers' tokens are checked. ({@code vaultgate.auth.cache-ttl}
 * is read by the token lookup in the vault package, which depends on nothing here.)
 *
 * @param adminPolicy        the Vault policy that makes a token an admin of the gateway (default {@code vaultgate-admin})
 * @param projectAdminPolicy the policy of a project admin; the project is the token's {@code project} metadata
 *                           (default {@code vaultgate-project-admin})
 * @param deployerPolicy     the policy of a deployer; the project is the token's {@code project} metadata
 *                           (default {@code vaultgate-deployer})
 * @param workloadPolicy     the one policy of every workload token, templated on its deployment's identity;
 *                           the deployment is the token's metadata (default {@code vaultgate-workload})
 * @param metricsPolicy      the policy of a metrics scraper: it may read {@code /prometheus} and nothing else
 *                           (default {@code vaultgate-metrics})
 * @param unknownTokensPerSecond unknown tokens one source (client address) may present per second before
 *                           its lookups are refused with 429 until the next second (default 20)
 * @param clientAddressHeader the header a trusted proxy in front of the gateway sets to the client's
 *                           address (one that overwrites what the client sent, e.g. {@code X-Real-IP});
 *                           unset (the default): the connection's peer address
 */
@ConfigurationProperties("vaultgate.auth")
public record AuthProperties(@Nullable String adminPolicy, @Nullable String projectAdminPolicy,
                             @Nullable String deployerPolicy, @Nullable String workloadPolicy,
                             @Nullable String metricsPolicy, @Nullable Integer unknownTokensPerSecond,
                             @Nullable String clientAddressHeader) {

    @Creator
    public AuthProperties {
        adminPolicy = adminPolicy == null ? "vaultgate-admin" : adminPolicy;
        projectAdminPolicy = projectAdminPolicy == null ? "vaultgate-project-admin" : projectAdminPolicy;
        deployerPolicy = deployerPolicy == null ? "vaultgate-deployer" : deployerPolicy;
        workloadPolicy = workloadPolicy == null ? "vaultgate-workload" : workloadPolicy;
        metricsPolicy = metricsPolicy == null ? "vaultgate-metrics" : metricsPolicy;
        unknownTokensPerSecond = unknownTokensPerSecond == null ? 20 : unknownTokensPerSecond;
        clientAddressHeader = clientAddressHeader == null || clientAddressHeader.isBlank() ? null : clientAddressHeader;
        if (unknownTokensPerSecond < 1) {
            throw new IllegalArgumentException("vaultgate.auth.unknown-tokens-per-second must be 1 or more");
        }
    }
}
