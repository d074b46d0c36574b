package io.vaultgate.identity;

import io.vaultgate.access.Access;
import io.vaultgate.access.AuthProperties;
import io.vaultgate.access.Caller;
import io.vaultgate.web.Quoting;
import io.micronaut.transaction.TransactionOperations;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.access.Actor;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.scope.Scope;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operator tokens of one project (project admin, deployer), minted by an admin through the
 * operator token role. The role is carried by the token's policy, the project by its metadata;
 * {@link Access} reads both back on every call.
 */
@Singleton
class OperatorTokens {

    private final IdentityOperations identity;
    private final Catalog catalog;
    private final IssuedTokenRepository issued;
    private final AuditLog audit;
    private final TransactionOperations<Connection> transactions;
    private final TokenProperties properties;
    private final AuthProperties auth;
    private final Clock clock;

    OperatorTokens(IdentityOperations identity, Catalog catalog, IssuedTokenRepository issued, AuditLog audit,
                   TransactionOperations<Connection> transactions, TokenProperties properties, AuthProperties auth,
                   Clock clock) {
        this.identity = identity;
        this.catalog = catalog;
        this.issued = issued;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
        this.auth = auth;
        this.clock = clock;
    }

    record MintedOperator(String token, String accessor, String project, String role, Instant expiresAt,
                          long ttlSeconds) {
        @Override
        public String toString() {
            return "MintedOperator[token=redacted, accessor=" + accessor + ", role=" + role + "]";
        }
    }

    MintedOperator mint(Caller caller, Actor actor, String projectSlug, String role, Integer ttlSeconds) {
        Access.requireAdmin(caller);
        String policy = policyOf(role);
        Duration ttl = TokenRules.ttl(ttlSeconds, properties.operatorDefaultTtl(), properties.operatorMaxTtl());
        Project project = catalog.requireProject(projectSlug);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Access.META_PROJECT, projectSlug);
        metadata.put(Access.META_ROLE, role);
        metadata.put("created_by", caller.accessor());
        IssuedToken token = identity.createToken(properties.operatorRole(), new TokenRequest(Set.of(policy), metadata,
                ttl, 0, WorkloadTokens.displayName(projectSlug, role), null));
        try {
            transactions.executeWrite(status -> {
                issued.save(new IssuedTokenRecord(token.accessor(), IssuedTokenRecord.OPERATOR, role, project.id(),
                        projectSlug, null, null, null, 0, clock.instant(), token.expiresAt(), caller.accessor(),
                        null, null, IssuedTokens.hashOf(token.token())));
                audit.record(AuditEntry.of(project.id(), actor, "operator-token.create", Scope.project(projectSlug).apiPath() + "/operator-tokens/" + token.accessor()));
                return null;
            });
        } catch (RuntimeException e) {
            identity.revokeAccessor(token.accessor());
            throw e;
        }
        return new MintedOperator(token.token(), token.accessor(), projectSlug, role, token.expiresAt(), ttl.toSeconds());
    }

    private String policyOf(String role) {
        if ("project-admin".equals(role)) {
            return auth.projectAdminPolicy();
        }
        if ("deployer".equals(role)) {
            return auth.deployerPolicy();
        }
        throw new ApiException(ErrorCode.INVALID_ROLE, "An operator token of a project has the role 'project-admin' or "
                + "'deployer'; got '" + Quoting.shorten(role) + "'. Admin tokens are not bound to a project: "
                + "create them in Vault (vault-config/README.md).", "role");
    }
}
