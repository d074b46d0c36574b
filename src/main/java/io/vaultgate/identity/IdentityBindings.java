package io.vaultgate.identity;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.scope.Scope;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Binding a deployment to an external identity: {@code PUT}, {@code GET} and {@code DELETE}
 * {@code …/environments/{e}/services/{s}/identity}. A project admin (or an admin) binds and
 * unbinds, a deployer may look. A binding names its key set by an allowed URL or inline (public
 * asymmetric keys only), an audience, and at least one claim: an issuer and audience alone would
 * let every workload of that issuer in as this deployment.
 */
@Singleton
class IdentityBindings {

    /** Checked by the gateway itself (issuer, expiry, audience), so a binding may not name them. */
    static final Set<String> REGISTERED_CLAIMS = Set.of("iss", "aud", "exp", "nbf", "iat", "jti");

    static final int MAX_CLAIMS = 16;
    static final int MAX_TEXT = 512;

    private final IdentityBindingRepository bindings;
    private final JwksSources keys;
    private final Catalog catalog;
    private final AuditLog audit;
    private final Transactions transactions;
    private final Clock clock;

    IdentityBindings(
            IdentityBindingRepository bindings,
            JwksSources keys,
            Catalog catalog,
            AuditLog audit,
            Transactions transactions,
            Clock clock) {
        this.bindings = bindings;
        this.keys = keys;
        this.catalog = catalog;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** What a binding asks for, as the API takes it. */
    record Request(
            String issuer,
            @Nullable String jwksUrl,
            @Nullable Map<String, Object> jwks,
            String audience,
            Map<String, String> claims) {}

    /** A binding as the API shows it. */
    record View(
            String project,
            String environment,
            String service,
            String issuer,
            @Nullable String jwksUrl,
            @Nullable Map<String, Object> jwks,
            String audience,
            Map<String, String> claims,
            Instant boundAt,
            String boundBy) {}

    View bind(Caller caller, Actor actor, String project, String environment, String service, Request request) {
        Access.requireProjectAdmin(caller, project);
        DeploymentRef deployment = catalog.requireDeploymentRef(project, environment, service);
        String issuer = text(request.issuer(), "issuer", 255);
        String audience = text(request.audience(), "audience", MAX_TEXT);
        Map<String, String> claims = claims(request.claims());
        String jwksUrl = null;
        String jwks = null;
        if ((request.jwksUrl() == null) == (request.jwks() == null)) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "Give exactly one of 'jwksUrl' and 'jwks' (a static key set).",
                    "jwksUrl");
        }
        if (request.jwksUrl() != null) {
            jwksUrl = keys.allowed(request.jwksUrl())
                    .orElseThrow(() -> new ApiException(
                            ErrorCode.JWKS_URL_NOT_ALLOWED,
                            "The JWKS URL must be an http(s) URL under one of"
                                    + " vaultgate.identity-federation.allowed-jwks-urls.",
                            "jwksUrl"));
        } else {
            String json = JSONObjectUtils.toJSONString(request.jwks());
            if (keys.staticSet(json).isEmpty()) {
                throw new ApiException(
                        ErrorCode.INVALID_REQUEST,
                        "'jwks' must be a JWK set of public RSA, EC or OKP keys, within"
                                + " vaultgate.identity-federation.max-jwks-bytes.",
                        "jwks");
            }
            jwks = json;
        }
        String claimsJson = JSONObjectUtils.toJSONString(new TreeMap<>(claims));
        String matchHash = IssuedTokens.hashOf(issuer + "\u0000" + audience + "\u0000" + claimsJson);
        IdentityBinding binding = new IdentityBinding(
                deployment.deploymentId(),
                deployment.projectId(),
                project,
                environment,
                service,
                issuer,
                jwksUrl,
                jwks,
                audience,
                claimsJson,
                matchHash,
                clock.instant(),
                caller.accessor());
        transactions.executeWrite(status -> {
            bindings.findByMatchHash(matchHash)
                    .filter(other -> !other.deploymentId().equals(deployment.deploymentId()))
                    .ifPresent(other -> {
                        throw new ApiException(
                                ErrorCode.IDENTITY_ALREADY_BOUND,
                                "Another deployment is bound to this issuer, audience and claims; an exchange could"
                                        + " not tell them apart.");
                    });
            if (bindings.existsById(deployment.deploymentId())) {
                bindings.update(binding);
            } else {
                bindings.save(binding);
            }
            audit.record(AuditEntry.of(deployment.projectId(), actor, "identity.bind", path(deployment)));
            return null;
        });
        return view(binding);
    }

    View get(Caller caller, String project, String environment, String service) {
        Access.requireProjectReader(caller, project);
        DeploymentRef deployment = catalog.requireDeploymentRef(project, environment, service);
        return bindings.findById(deployment.deploymentId())
                .map(IdentityBindings::view)
                .orElseThrow(IdentityBindings::notBound);
    }

    void unbind(Caller caller, Actor actor, String project, String environment, String service) {
        Access.requireProjectAdmin(caller, project);
        DeploymentRef deployment = catalog.requireDeploymentRef(project, environment, service);
        transactions.executeWrite(status -> {
            if (!bindings.existsById(deployment.deploymentId())) {
                throw notBound();
            }
            bindings.deleteById(deployment.deploymentId());
            audit.record(AuditEntry.of(deployment.projectId(), actor, "identity.unbind", path(deployment)));
            return null;
        });
    }

    private static String path(DeploymentRef deployment) {
        return Scope.serviceInEnvironment(deployment.project(), deployment.environment(), deployment.service())
                        .apiPath()
                + "/identity";
    }

    private static View view(IdentityBinding binding) {
        try {
            Map<String, String> claims = new TreeMap<>();
            JSONObjectUtils.parse(binding.claims()).forEach((name, value) -> claims.put(name, (String) value));
            return new View(
                    binding.project(),
                    binding.environment(),
                    binding.service(),
                    binding.issuer(),
                    binding.jwksUrl(),
                    binding.jwks() == null ? null : JSONObjectUtils.parse(binding.jwks()),
                    binding.audience(),
                    claims,
                    binding.boundAt(),
                    binding.boundBy());
        } catch (ParseException e) {
            throw new IllegalStateException("a stored identity binding is not JSON", e);
        }
    }

    private static String text(@Nullable String value, String field, int max) {
        if (value == null
                || value.isBlank()
                || value.length() > max
                || value.chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "'" + field + "' must be 1 to " + max + " characters, without control characters.",
                    field);
        }
        return value;
    }

    private static Map<String, String> claims(@Nullable Map<String, String> claims) {
        if (claims == null || claims.isEmpty() || claims.size() > MAX_CLAIMS) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "'claims' must hold 1 to " + MAX_CLAIMS + " claims the JWT must match, such as 'sub'.",
                    "claims");
        }
        claims.forEach((name, value) -> {
            if (name.isEmpty()
                    || name.length() > 255
                    || REGISTERED_CLAIMS.contains(name)
                    || name.chars().anyMatch(Character::isISOControl)) {
                throw new ApiException(
                        ErrorCode.INVALID_REQUEST,
                        "A claim name must be 1 to 255 characters and not one the gateway checks itself"
                                + " (iss, aud, exp, nbf, iat, jti).",
                        "claims");
            }
            text(value, "claims", MAX_TEXT);
        });
        return claims;
    }

    private static ApiException notBound() {
        return new ApiException(ErrorCode.IDENTITY_BINDING_NOT_FOUND, "No identity is bound to this deployment.");
    }
}
