package io.vaultgate.identity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A token this gateway minted, by accessor (never the token): who it is for, until when, who
 * minted it and whether it was revoked. Kept for the audit and to revoke all of a deployment's tokens.
 *
 * @param kind        {@code workload} or {@code operator}
 * @param role        {@code workload}, {@code project-admin} or {@code deployer}
 * @param bootFetches boot fetches the token may make; 0 for unlimited
 */
@MappedEntity("issued_token")
record IssuedTokenRecord(@Id String accessor, String kind, String role, Long projectId, String project,
                         @Nullable String environment, @Nullable String service, @Nullable Long deploymentId,
                         int bootFetches, Instant createdAt, Instant expiresAt, String createdBy,
                         @Nullable Instant revokedAt, @Nullable String revokedBy) {

    static final String WORKLOAD = "workload";
    static final String OPERATOR = "operator";

    IssuedTokenRecord revoked(Instant at, String by) {
        return new IssuedTokenRecord(accessor, kind, role, projectId, project, environment, service, deploymentId,
                bootFetches, createdAt, expiresAt, createdBy, at, by);
    }
}
