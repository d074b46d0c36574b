package io.vaultgate.identity;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to mint: the policies (exactly these, no default policy), metadata Vault keeps on the
 * token, its ttl, Vault's {@code num_uses} (0: unlimited), a display name and, for a workload
 * token, the deployment whose identity it is bound to (null for an operator token).
 */
public record TokenRequest(
        Set<String> policies,
        Map<String, String> metadata,
        Duration ttl,
        int numUses,
        String displayName,
        DeploymentIdentity boundTo) {

    public TokenRequest {
        policies = Set.copyOf(policies);
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(ttl, "ttl");
        if (policies.isEmpty()) {
            // Vault would copy the creator's policies onto a token asked for with none.
            throw new IllegalArgumentException("a token needs at least one policy");
        }
        if (numUses < 0) {
            throw new IllegalArgumentException("numUses must be 0 (unlimited) or more, got " + numUses);
        }
    }
}
