package io.vaultgate.access;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What a token lookup tells: the accessor (safe to log and audit), a display name, the
 * policies the token carries, its metadata, when it expires ({@code null}: never) and how many
 * uses it has left ({@code numUses}, Vault's counter: 0 means unlimited).
 */
public record TokenInfo(
        String accessor,
        String displayName,
        Set<String> policies,
        Map<String, String> metadata,
        Instant expiresAt,
        int numUses) {

    public TokenInfo {
        policies = Set.copyOf(policies);
        metadata = Map.copyOf(metadata);
    }

    public TokenInfo(
            String accessor,
            String displayName,
            Set<String> policies,
            Map<String, String> metadata,
            Instant expiresAt) {
        this(accessor, displayName, policies, metadata, expiresAt, 0);
    }

    /** Whether Vault counts this token's uses (and revokes it at the last one). */
    public boolean limitedUses() {
        return numUses > 0;
    }
}
