package io.vaultgate.identity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A token this gateway minted, by accessor (never the token): who it is for, until when, who
 * minted it and whether it was revoked. Kept for the audit, to revoke all of a deployment's tokens,
 * and because only a token recorded here holds a project role ({@link IssuedTokens}).
 *
 * @param kind        {@code workload} or {@code operator}
 * @param role        {@code workload}, {@code project-admin} or {@code deployer}
 * @param bootFetches boot fetches the token may make; 0 for unlimited
 * @param tokenHash   SHA-256 (hex) of the token, to know it before asking Vault; null for tokens minted before 0.2
 */
@MappedEntity("issued_token")
record IssuedTokenRecord(@Id String accessor, String kind, String role, Long projectId, String project,
                         @Nullable String environment, @Nullable String service, @Nullable Long deploymentId,
                         int bootFetches, Instant createdAt, Instant expiresAt, String createdBy,
                         @Nullable Instant revokedAt, @Nullable String revokedBy, @Nullable String tokenHash) {

    static final String WORKLOAD = "workload";
    static final String OPERATOR = "operator";

    /** Whether the token may still work as far as this gateway knows: not revoked here, not expired. */
    boolean live(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }

    IssuedTokenRecord revoked(Instant at, String by) {
        return new IssuedTokenRecord(accessor, kind, role, projectId, project, environment, service, deploymentId,
                bootFetches, createdAt, expiresAt, createdBy, at, by, tokenHash);
    }
}
