package io.vaultgate.identity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.AuthProperties;
import io.vaultgate.access.Caller;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.project.Project;
import io.vaultgate.scope.Scope;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.Quoting;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload tokens: minted by the token authority through the workload token role, bound to one
 * deployment's identity (which decides what the token reads) and carrying it in metadata (which
 * tells the gateway who calls), revoked one by one or all of a deployment at once.
 * MySQL keeps each token's accessor (never the token) for the audit and for revoke-all.
 */
@Singleton
public class WorkloadTokens {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadTokens.class);

    private final IdentityOperations identity;
    private final IssuedTokens issuedTokens;
    private final DeploymentIdentities identities;
    private final Catalog catalog;
    private final IssuedTokenRepository issued;
    private final AuditLog audit;
    private final Transactions transactions;
    private final RecordedMint mints;
    private final TokenProperties properties;
    private final String workloadPolicy;
    private final Clock clock;

    WorkloadTokens(
            IdentityOperations identity,
            IssuedTokens issuedTokens,
            DeploymentIdentities identities,
            Catalog catalog,
            IssuedTokenRepository issued,
            AuditLog audit,
            Transactions transactions,
            RecordedMint mints,
            TokenProperties properties,
            AuthProperties auth,
            Clock clock) {
        this.identity = identity;
        this.issuedTokens = issuedTokens;
        this.identities = identities;
        this.workloadPolicy = auth.workloadPolicy();
        this.catalog = catalog;
        this.issued = issued;
        this.audit = audit;
        this.transactions = transactions;
        this.mints = mints;
        this.properties = properties;
        this.clock = clock;
    }

    /** A minted token as the API answers it, once. */
    public record Minted(String token, String accessor, Instant expiresAt, long ttlSeconds, int numUses) {
        @Override
        public String toString() {
            return "Minted[token=redacted, accessor=" + accessor + ", expiresAt=" + expiresAt + "]";
        }
    }

    public Minted mint(
            Caller caller,
            Actor actor,
            String project,
            String environment,
            String service,
            Integer ttlSeconds,
            Integer numUses) {
        Access.requireDeployer(caller, project);
        Duration ttl = TokenRules.ttl(ttlSeconds, properties.workloadDefaultTtl(), properties.workloadMaxTtl());
        int fetches = TokenRules.bootFetches(numUses, properties.maxNumUses());
        Optional<DeploymentIdentities.Trusted> trusted = identities.trusted(project, environment, service);
        if (trusted.isPresent()) {
            try {
                // Nothing to bind: this replica bound exactly it within the recheck time.
                return mint(
                        trusted.get().deployment(),
                        trusted.get().identity(),
                        ttl,
                        fetches,
                        caller.accessor(),
                        actor,
                        "token.create",
                        true);
            } catch (TrustedDeploymentGone gone) {
                // Deleted, perhaps registered again, through another replica: look it up as if it were new here.
                identities.distrust(trusted.get());
            }
        }
        DeploymentRef deployment = catalog.requireDeploymentRef(project, environment, service);
        return mintFor(deployment, ttl, fetches, caller.accessor(), actor, "token.create");
    }

    /**
     * Mints a workload token of {@code deployment}, whoever asked: the one path every workload token
     * takes (a deployer's mint and a JWT exchange alike), so each is bound to exactly that deployment,
     * recorded by accessor, audited under {@code action} and revocable.
     */
    Minted mintFor(DeploymentRef deployment, Duration ttl, int fetches, String createdBy, Actor actor, String action) {
        try {
            // Bound first (again, unless this replica just did): a mint repairs one a failed catalog change left stale.
            DeploymentIdentity bound = identities.ensureBound(deployment);
            return mint(deployment, bound, ttl, fetches, createdBy, actor, action, false);
        } catch (RuntimeException e) {
            retireIfDeletedMeanwhile(deployment, e);
            throw e;
        }
    }

    /** The trusted deployment's row was gone when its token was recorded; the token was taken back. */
    private static final class TrustedDeploymentGone extends RuntimeException {
        TrustedDeploymentGone() {
            super("the deployment this replica trusted is gone", null, false, false);
        }
    }

    private Minted mint(
            DeploymentRef deployment,
            DeploymentIdentity bound,
            Duration ttl,
            int fetches,
            String createdBy,
            Actor actor,
            String action,
            boolean trusted) {
        String project = deployment.project();
        String environment = deployment.environment();
        String service = deployment.service();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Access.META_PROJECT, project);
        metadata.put(Access.META_ENVIRONMENT, environment);
        metadata.put(Access.META_SERVICE, service);
        metadata.put(Access.META_ROLE, "workload");
        metadata.put("boot_fetches", fetches == 0 ? "unlimited" : String.valueOf(fetches));
        metadata.put("created_by", createdBy);
        TokenRequest request = new TokenRequest(
                Set.of(workloadPolicy),
                metadata,
                ttl,
                TokenRules.vaultNumUses(fetches),
                displayName(project, environment, service),
                bound);
        IssuedToken token = mints.mint(properties.workloadRole(), request, minted -> {
            if (!catalog.holdDeployment(deployment.deploymentId())) {
                if (trusted) {
                    throw new TrustedDeploymentGone();
                }
                // Deleted since it was looked up: its clean-up has run without this token.
                throw catalog.deploymentNotFound(project, environment, service);
            }
            issued.save(IssuedTokenRecord.workload(minted, deployment, fetches, clock.instant(), createdBy));
            audit.record(AuditEntry.of(
                    deployment.projectId(),
                    actor,
                    action,
                    Scope.serviceInEnvironment(project, environment, service).apiPath() + "/tokens/"
                            + minted.accessor()));
        });
        return new Minted(token.token(), token.accessor(), token.expiresAt(), ttl.toSeconds(), fetches);
    }

    /** Revokes one token this gateway minted; an already revoked or expired one answers the same. */
    public void revoke(Caller caller, Actor actor, String accessor) {
        IssuedTokenRecord record = issued.findById(accessor).orElseThrow(() -> notFound(accessor));
        try {
            if (record.kind() == IssuedTokenRecord.Kind.OPERATOR) {
                Access.requireAdmin(caller);
            } else {
                Access.requireDeployer(caller, record.project());
            }
        } catch (ApiException refused) {
            if (refused.errorCode() == ErrorCode.PROJECT_NOT_FOUND) {
                throw notFound(accessor); // a token of another project does not exist for this caller
            }
            throw refused;
        }
        identity.revokeAccessor(accessor);
        issuedTokens.forget(accessor);
        if (record.revokedAt() == null) {
            transactions.executeWrite(status -> {
                issued.update(record.revoked(clock.instant(), caller.accessor()));
                audit.record(AuditEntry.of(
                        record.projectId(), actor, "token.revoke", scopeOf(record) + "/tokens/" + accessor));
                return null;
            });
        }
    }

    /** Revokes every token of a deployment that may still work; answers their accessors. */
    public List<String> revokeAll(Caller caller, Actor actor, String project, String environment, String service) {
        Access.requireDeployer(caller, project);
        DeploymentRef deployment = catalog.requireDeploymentRef(project, environment, service);
        AuditEntry audited = AuditEntry.of(
                deployment.projectId(),
                actor,
                "token.revoke-all",
                Scope.serviceInEnvironment(project, environment, service).apiPath() + "/tokens");
        return revokeAllOf(deployment, caller.accessor(), audited);
    }

    /**
     * A token of a project as this gateway recorded it, by accessor (never the token).
     *
     * @param environment null for an operator token
     * @param service     null for an operator token
     */
    public record Issued(
            String accessor,
            String role,
            @Nullable String environment,
            @Nullable String service,
            Instant createdAt,
            Instant expiresAt,
            String createdBy,
            @Nullable Instant revokedAt,
            boolean live) {}

    /**
     * The tokens minted for a project, newest first. A deployer may mint and revoke its workload
     * tokens, so it may list them; operator tokens are listed to the admin only, who alone mints
     * and revokes them.
     */
    public List<Issued> issuedFor(Caller caller, String project, int limit) {
        Access.requireDeployer(caller, project);
        Project found = catalog.requireProject(project);
        Instant now = clock.instant();
        Pageable newest = Pageable.from(0, limit, Sort.of(Sort.Order.desc("createdAt")));
        List<IssuedTokenRecord> records = caller.admin()
                ? issued.findByProjectId(found.id(), newest)
                : issued.findByProjectIdAndEnvironmentIsNotNull(found.id(), newest);
        return records.stream()
                .map(r -> new Issued(
                        r.accessor(),
                        r.role().wireName(),
                        r.environment(),
                        r.service(),
                        r.createdAt(),
                        r.expiresAt(),
                        r.createdBy(),
                        r.revokedAt(),
                        r.live(now)))
                .toList();
    }

    /** Revokes the deployment's live tokens in the token authority, then marks them here. */
    List<String> revokeAllOf(DeploymentRef deployment, String actor) {
        return revokeAllOf(deployment, actor, null);
    }

    /**
     * The token authority first, then every mark (one statement) and the audit row in one
     * transaction: two replicas revoking the same tokens through two Galera nodes update the same
     * rows, and the one that loses certification is run again by {@link Transactions}, which an
     * autocommit statement a row would not be.
     */
    private List<String> revokeAllOf(DeploymentRef deployment, String actor, AuditEntry audited) {
        Instant now = clock.instant();
        List<String> revoked = new ArrayList<>();
        for (IssuedTokenRecord record :
                issued.findByDeploymentIdAndRevokedAtIsNullAndExpiresAtGreaterThan(deployment.deploymentId(), now)) {
            identity.revokeAccessor(record.accessor());
            issuedTokens.forget(record.accessor());
            revoked.add(record.accessor());
        }
        String by = actor == null ? "catalog" : actor;
        transactions.executeWrite(status -> {
            if (!revoked.isEmpty()) {
                issued.markRevoked(revoked, now, by);
            }
            if (audited != null) {
                audit.record(audited);
            }
            return null;
        });
        return revoked;
    }

    /**
     * A deployment deleted while its token was minted had its identity bound again by this mint:
     * undo that bind too. Whatever fails here is added to the mint's own failure, never put in its place.
     */
    private void retireIfDeletedMeanwhile(DeploymentRef deployment, RuntimeException mintFailure) {
        try {
            if (catalog.findDeploymentRef(deployment.project(), deployment.environment(), deployment.service())
                    .isEmpty()) {
                identities.retire(deployment);
            }
        } catch (RuntimeException e) {
            mintFailure.addSuppressed(e);
            LOG.warn(
                    "could not check or retire the identity of deployment {} after a refused mint: {}",
                    deployment,
                    e.getMessage());
        }
    }

    private static String scopeOf(IssuedTokenRecord record) {
        return record.environment() == null
                ? Scope.project(record.project()).apiPath()
                : Scope.serviceInEnvironment(record.project(), record.environment(), record.service())
                        .apiPath();
    }

    static String displayName(String... parts) {
        String name = "vaultgate-" + String.join("-", parts);
        return name.length() <= 200 ? name : name.substring(0, 200);
    }

    private static ApiException notFound(String accessor) {
        return new ApiException(
                ErrorCode.TOKEN_NOT_FOUND,
                "No token with accessor '" + Quoting.shorten(accessor) + "' was minted by this gateway.",
                "accessor");
    }
}
