package io.vaultgate.identity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.vaultgate.access.Caller;
import io.vaultgate.database.EnumColumn;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.project.Project;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * A token this gateway minted, by accessor (never the token): who it is for, until when, who
 * minted it and whether it was revoked. Kept for the audit, to revoke all of a deployment's tokens,
 * and because only a token recorded here holds a project role ({@link IssuedTokens}).
 *
 * @param role        workload, project admin or deployer
 * @param bootFetches boot fetches the token may make; 0 for unlimited
 * @param tokenHash   SHA-256 (hex) of the token, to know it before asking Vault; null for tokens minted before 0.2
 */
@MappedEntity("issued_token")
record IssuedTokenRecord(
        @Id String accessor,
        @MappedProperty(converter = KindColumn.class) Kind kind,
        @MappedProperty(converter = RoleColumn.class) Caller.Role role,
        Long projectId,
        String project,
        @Nullable String environment,
        @Nullable String service,
        @Nullable Long deploymentId,
        int bootFetches,
        Instant createdAt,
        Instant expiresAt,
        String createdBy,
        @Nullable Instant revokedAt,
        @Nullable String revokedBy,
        @Nullable String tokenHash) {

    /** A workload token (bound to a deployment) or an operator token (project admin, deployer). */
    enum Kind {
        WORKLOAD,
        OPERATOR
    }

    /** A workload token just minted for {@code deployment}, by {@code by}, at {@code now}. */
    static IssuedTokenRecord workload(
            IssuedToken minted, DeploymentRef deployment, int bootFetches, Instant now, String by) {
        return new IssuedTokenRecord(
                minted.accessor(),
                Kind.WORKLOAD,
                Caller.Role.WORKLOAD,
                deployment.projectId(),
                deployment.project(),
                deployment.environment(),
                deployment.service(),
                deployment.deploymentId(),
                bootFetches,
                now,
                minted.expiresAt(),
                by,
                null,
                null,
                IssuedTokens.hashOf(minted.token()));
    }

    /** An operator token of {@code role} just minted for a project, by {@code by}, at {@code now}. */
    static IssuedTokenRecord operator(IssuedToken minted, Caller.Role role, Project project, Instant now, String by) {
        return new IssuedTokenRecord(
                minted.accessor(),
                Kind.OPERATOR,
                role,
                project.id(),
                project.slug(),
                null,
                null,
                null,
                0,
                now,
                minted.expiresAt(),
                by,
                null,
                null,
                IssuedTokens.hashOf(minted.token()));
    }

    /** Whether the token may still work as far as this gateway knows: not revoked here, not expired. */
    boolean live(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }

    IssuedTokenRecord revoked(Instant at, String by) {
        return new IssuedTokenRecord(
                accessor,
                kind,
                role,
                projectId,
                project,
                environment,
                service,
                deploymentId,
                bootFetches,
                createdAt,
                expiresAt,
                createdBy,
                at,
                by,
                tokenHash);
    }

    @Singleton
    static final class KindColumn extends EnumColumn<Kind> {
        KindColumn() {
            super(Kind.class);
        }
    }

    @Singleton
    static final class RoleColumn extends EnumColumn<Caller.Role> {
        RoleColumn() {
            super(Caller.Role.class);
        }
    }
}
