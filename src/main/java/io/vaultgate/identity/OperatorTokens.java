package io.vaultgate.identity;

import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.AuthProperties;
import io.vaultgate.access.Caller;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.Slugs;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.Quoting;
import io.vaultgate.web.WireNames;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Operator tokens of one project (project admin, deployer), minted by an admin through the
 * operator token role. The role is carried by the token's policy, the project by its metadata;
 * {@link Access} reads both back on every call.
 */
@Singleton
public class OperatorTokens {

    private final RecordedMint mints;
    private final Catalog catalog;
    private final IssuedTokenRepository issued;
    private final AuditLog audit;
    private final TokenProperties properties;
    private final AuthProperties auth;
    private final Clock clock;

    OperatorTokens(
            RecordedMint mints,
            Catalog catalog,
            IssuedTokenRepository issued,
            AuditLog audit,
            TokenProperties properties,
            AuthProperties auth,
            Clock clock) {
        this.mints = mints;
        this.catalog = catalog;
        this.issued = issued;
        this.audit = audit;
        this.properties = properties;
        this.auth = auth;
        this.clock = clock;
    }

    public record MintedOperator(
            String token, String accessor, String project, String role, Instant expiresAt, long ttlSeconds) {
        @Override
        public String toString() {
            return "MintedOperator[token=redacted, accessor=" + accessor + ", role=" + role + "]";
        }
    }

    public MintedOperator mint(Caller caller, Actor actor, String projectSlug, String roleName, Integer ttlSeconds) {
        return mint(caller, actor, projectSlug, roleName, ttlSeconds, null);
    }

    /**
     * @param holder who the token is for (a slug), part of its display name: change-set approvals
     *               tell people apart by display name, so two project admins need two names
     */
    public MintedOperator mint(
            Caller caller, Actor actor, String projectSlug, String roleName, Integer ttlSeconds, String holder) {
        Access.requireAdmin(caller);
        if (holder != null) {
            Slugs.require("name", holder);
        }
        Caller.Role role = operatorRole(roleName);
        Duration ttl = TokenRules.ttl(ttlSeconds, properties.operatorDefaultTtl(), properties.operatorMaxTtl());
        Project project = catalog.requireProject(projectSlug);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Access.META_PROJECT, projectSlug);
        metadata.put(Access.META_ROLE, role.wireName());
        metadata.put("created_by", caller.accessor());
        TokenRequest request = new TokenRequest(
                Set.of(policyOf(role)),
                metadata,
                ttl,
                0,
                holder == null
                        ? WorkloadTokens.displayName(projectSlug, role.wireName())
                        : WorkloadTokens.displayName(projectSlug, role.wireName(), holder),
                null);
        IssuedToken token = mints.mint(properties.operatorRole(), request, minted -> {
            issued.save(IssuedTokenRecord.operator(minted, role, project, clock.instant(), caller.accessor()));
            audit.record(AuditEntry.of(
                    project.id(),
                    actor,
                    "operator-token.create",
                    Scope.project(projectSlug).apiPath() + "/operator-tokens/" + minted.accessor()));
        });
        return new MintedOperator(
                token.token(), token.accessor(), projectSlug, role.wireName(), token.expiresAt(), ttl.toSeconds());
    }

    /** The roles an operator token of a project may have; admin tokens are made in Vault. */
    private static Caller.Role operatorRole(String name) {
        return WireNames.parse(Caller.Role.class, name)
                .filter(role -> role == Caller.Role.PROJECT_ADMIN || role == Caller.Role.DEPLOYER)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.INVALID_ROLE,
                        "An operator token of a project has the role 'project-admin' or "
                                + "'deployer'; got '" + Quoting.shorten(name)
                                + "'. Admin tokens are not bound to a project: "
                                + "create them in Vault (vault-config/README.md).",
                        "role"));
    }

    private String policyOf(Caller.Role role) {
        return role == Caller.Role.PROJECT_ADMIN ? auth.projectAdminPolicy() : auth.deployerPolicy();
    }
}
