package io.vaultgate.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * Tokens the gateway mints.
 *
 * @param workloadRole       the token role workload tokens are created through (default {@code vaultgate-workload})
 * @param operatorRole       the token role operator tokens are created through (default {@code vaultgate-operator})
 * @param workloadDefaultTtl ttl of a workload token when none is asked for (default 15m)
 * @param workloadMaxTtl     longest ttl a workload token may be asked for; above it the request is refused (default 1h)
 * @param operatorDefaultTtl ttl of an operator token when none is asked for (default 1h)
 * @param operatorMaxTtl     longest ttl an operator token may be asked for (default 24h)
 * @param maxNumUses         largest {@code numUses} (boot fetches) a workload token may be asked for (default 1000)
 * @param identityRecheck    how long a mint trusts the deployment identity this replica bound, before binding it
 *                           again (default 30s; 0 binds before every mint)
 */
@ConfigurationProperties("vaultgate.tokens")
public record TokenProperties(
        @Nullable String workloadRole,
        @Nullable String operatorRole,
        @Nullable Duration workloadDefaultTtl,
        @Nullable Duration workloadMaxTtl,
        @Nullable Duration operatorDefaultTtl,
        @Nullable Duration operatorMaxTtl,
        @Nullable Integer maxNumUses,
        @Nullable Duration identityRecheck) {

    public TokenProperties {
        workloadRole = workloadRole == null ? "vaultgate-workload" : workloadRole;
        operatorRole = operatorRole == null ? "vaultgate-operator" : operatorRole;
        workloadDefaultTtl = workloadDefaultTtl == null ? Duration.ofMinutes(15) : workloadDefaultTtl;
        workloadMaxTtl = workloadMaxTtl == null ? Duration.ofHours(1) : workloadMaxTtl;
        operatorDefaultTtl = operatorDefaultTtl == null ? Duration.ofHours(1) : operatorDefaultTtl;
        operatorMaxTtl = operatorMaxTtl == null ? Duration.ofHours(24) : operatorMaxTtl;
        maxNumUses = maxNumUses == null ? 1000 : maxNumUses;
        identityRecheck = identityRecheck == null ? Duration.ofSeconds(30) : identityRecheck;
        if (identityRecheck.isNegative()) {
            throw new IllegalArgumentException("vaultgate.tokens.identity-recheck may not be negative");
        }
        if (workloadDefaultTtl.compareTo(workloadMaxTtl) > 0 || operatorDefaultTtl.compareTo(operatorMaxTtl) > 0) {
            throw new IllegalArgumentException("vaultgate.tokens: a default ttl may not exceed its max ttl");
        }
    }
}
