package io.vaultgate.access;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * The policies that carry the roles, and how callers' tokens are checked.
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
 * @param unknownTokensPerSecondTotal the same for all sources together (default 200)
 * @param cacheTtl           how long a token lookup is reused, never past the token's expiry (default 5s)
 * @param issuedCacheTtl     how long "this accessor is a live token this gateway minted" is remembered
 *                           (default 60s; a revocation through any replica ends it within the revocation sync)
 * @param clientAddressHeader the header a trusted proxy in front of the gateway sets to the client's
 *                           address (one that overwrites what the client sent, e.g. {@code X-Real-IP});
 *                           unset (the default): the connection's peer address
 */
@ConfigurationProperties("vaultgate.auth")
public record AuthProperties(
        @Nullable String adminPolicy,
        @Nullable String projectAdminPolicy,
        @Nullable String deployerPolicy,
        @Nullable String workloadPolicy,
        @Nullable String metricsPolicy,
        @Nullable Integer unknownTokensPerSecond,
        @Nullable Integer unknownTokensPerSecondTotal,
        @Nullable Duration cacheTtl,
        @Nullable Duration issuedCacheTtl,
        @Nullable String clientAddressHeader) {

    @Creator
    public AuthProperties {
        adminPolicy = adminPolicy == null ? "vaultgate-admin" : adminPolicy;
        projectAdminPolicy = projectAdminPolicy == null ? "vaultgate-project-admin" : projectAdminPolicy;
        deployerPolicy = deployerPolicy == null ? "vaultgate-deployer" : deployerPolicy;
        workloadPolicy = workloadPolicy == null ? "vaultgate-workload" : workloadPolicy;
        metricsPolicy = metricsPolicy == null ? "vaultgate-metrics" : metricsPolicy;
        unknownTokensPerSecond = unknownTokensPerSecond == null ? 20 : unknownTokensPerSecond;
        unknownTokensPerSecondTotal = unknownTokensPerSecondTotal == null ? 200 : unknownTokensPerSecondTotal;
        cacheTtl = cacheTtl == null || cacheTtl.isNegative() ? Duration.ofSeconds(5) : cacheTtl;
        issuedCacheTtl = issuedCacheTtl == null ? Duration.ofSeconds(60) : issuedCacheTtl;
        clientAddressHeader = clientAddressHeader == null || clientAddressHeader.isBlank() ? null : clientAddressHeader;
        if (unknownTokensPerSecond < 1 || unknownTokensPerSecondTotal < 1) {
            throw new IllegalArgumentException("vaultgate.auth.unknown-tokens-per-second(-total) must be 1 or more");
        }
    }
}
