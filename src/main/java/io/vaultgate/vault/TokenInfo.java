package io.vaultgate.vault;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What a token lookup tells: the accessor (safe to log and audit), a display name, the
 * policies the token carries, its metadata and when it expires ({@code null}: never).
 */
public record TokenInfo(String accessor, String displayName, Set<String> policies,
                        Map<String, String> metadata, Instant expiresAt) {

    public TokenInfo {
        policies = Set.copyOf(policies);
        metadata = Map.copyOf(metadata);
    }
}
