package io.vaultgate.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vaultgate.access.Access;
import io.vaultgate.access.Actor;
import io.vaultgate.access.AuthProperties;
import io.vaultgate.access.CallerToken;
import io.vaultgate.access.FederatedLogins;
import io.vaultgate.access.TokenInfo;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exchanges a JWT for a workload token of the deployment bound to it. The gateway verifies the
 * JWT itself, with nimbus, and mints through {@link WorkloadTokens#mintFor}, the path of every
 * workload token: delegating to Vault's JWT auth method would need the gateway's Vault token to
 * write auth method roles, which it must never be able to do.
 *
 * <p>The JWT's (unverified) {@code iss} picks the bindings to try; the key set of each is where the
 * signature must verify, by an asymmetric algorithm of {@link #ALGORITHMS} only ({@code none} and
 * HMAC never: a public key used as an HMAC secret is the classic forgery). Then {@code iss} exactly,
 * {@code exp} (required), {@code nbf} and {@code iat} within the clock skew, the binding's audience
 * among {@code aud}, and every claim of the binding. Exactly one binding must match.
 *
 * <p>A refusal says which check failed in a word (its {@code reason}) and never quotes a claim.
 * Every exchange is recorded in {@code jwt_exchange}: the deployment, the issuer, and the subject
 * and {@code jti} of a JWT whose signature verified; a success is audited as {@code token.exchange}.
 */
@Singleton
class JwtExchange implements FederatedLogins {

    /** Asymmetric only. EdDSA is left out: nimbus verifies it through Tink, a dependency not worth it yet. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    /** Past a request header's room; a JWT this long is not one an issuer made. */
    static final int MAX_JWT_LENGTH = 8192;

    private final IdentityBindingRepository bindings;
    private final JwtExchangeRepository exchanges;
    private final JwksSources keys;
    private final WorkloadTokens tokens;
    private final Catalog catalog;
    private final FederationProperties federation;
    private final TokenProperties tokenProperties;
    private final String workloadPolicy;
    private final Clock clock;

    JwtExchange(
            IdentityBindingRepository bindings,
            JwtExchangeRepository exchanges,
            JwksSources keys,
            WorkloadTokens tokens,
            Catalog catalog,
            FederationProperties federation,
            TokenProperties tokenProperties,
            AuthProperties auth,
            Clock clock) {
        this.bindings = bindings;
        this.exchanges = exchanges;
        this.keys = keys;
        this.tokens = tokens;
        this.catalog = catalog;
        this.federation = federation;
        this.tokenProperties = tokenProperties;
        this.workloadPolicy = auth.workloadPolicy();
        this.clock = clock;
    }

    /** A token minted for a JWT, with the deployment it is of. */
    record Exchanged(WorkloadTokens.Minted minted, DeploymentRef deployment) {}

    /** {@code POST /v1/auth/jwt}: a token of {@code vaultgate.identity-federation.token-ttl}, unlimited fetches. */
    Exchanged exchange(String jwt, String requestId) {
        return exchange(jwt, federation.tokenTtl(), 0, requestId);
    }

    @Override
    public Login forOneFetch(String jwt, String requestId) {
        Exchanged exchanged = exchange(jwt, federation.fetchTokenTtl(), 1, requestId);
        WorkloadTokens.Minted minted = exchanged.minted();
        DeploymentRef deployment = exchanged.deployment();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Access.META_PROJECT, deployment.project());
        metadata.put(Access.META_ENVIRONMENT, deployment.environment());
        metadata.put(Access.META_SERVICE, deployment.service());
        metadata.put(Access.META_ROLE, "workload");
        // What a lookup of the token just minted answers; asking Vault would only repeat it.
        TokenInfo info = new TokenInfo(
                minted.accessor(),
                "token-"
                        + WorkloadTokens.displayName(
                                deployment.project(), deployment.environment(), deployment.service()),
                Set.of(workloadPolicy),
                metadata,
                minted.expiresAt(),
                TokenRules.vaultNumUses(1));
        return new Login(new CallerToken(minted.token()), info);
    }

    private Exchanged exchange(String jwt, Duration ttl, int fetches, String requestId) {
        Attempt attempt = new Attempt(requestId);
        try {
            Exchanged exchanged = attempt.run(jwt, ttl, fetches);
            attempt.record("succeeded", null, exchanged.minted().accessor());
            return exchanged;
        } catch (Refused refused) {
            attempt.record("refused", refused.reason, null);
            throw refused.answer;
        } catch (RuntimeException failed) {
            try {
                attempt.record("failed", "mint", null);
            } catch (RuntimeException notRecorded) {
                failed.addSuppressed(notRecorded);
            }
            throw failed;
        }
    }

    /** One exchange, with what it learned for its record. */
    private final class Attempt {
        private final String requestId;
        private String issuer;
        private String subject;
        private String jti;
        private Long deploymentId;

        Attempt(String requestId) {
            this.requestId = requestId;
        }

        Exchanged run(String jwt, Duration ttl, int fetches) throws Refused {
            SignedJWT signed = parse(jwt);
            String iss = unverifiedIssuer(signed);
            List<IdentityBinding> candidates = bindings.findByIssuer(iss).stream()
                    .filter(binding -> binding.issuer().equals(iss))
                    .toList();
            if (candidates.isEmpty()) {
                throw Refused.invalid("issuer", "no deployment trusts this token's issuer");
            }
            issuer = iss;
            Map<String, List<IdentityBinding>> bySource = new LinkedHashMap<>();
            candidates.forEach(binding -> bySource.computeIfAbsent(binding.keySource(), source -> new ArrayList<>())
                    .add(binding));
            Refused firstFailure = null;
            JWTClaimsSet verified = null;
            List<IdentityBinding> trusted = List.of();
            for (List<IdentityBinding> group : bySource.values()) {
                try {
                    verified = verify(signed, iss, group.get(0));
                    trusted = group;
                    break;
                } catch (Refused refused) {
                    firstFailure = firstFailure == null ? refused : firstFailure;
                }
            }
            if (verified == null) {
                throw firstFailure;
            }
            subject = clip(verified.getSubject(), 512);
            jti = clip(verified.getJWTID(), 255);
            List<String> audience = verified.getAudience();
            List<IdentityBinding> forUs = trusted.stream()
                    .filter(binding -> audience.contains(binding.audience()))
                    .toList();
            if (forUs.isEmpty()) {
                throw Refused.invalid("audience", "its audience is not one a deployment is bound to");
            }
            JWTClaimsSet claims = verified;
            List<IdentityBinding> matching = forUs.stream()
                    .filter(binding -> claimsMatch(binding, claims))
                    .toList();
            if (matching.size() != 1) {
                throw Refused.notBound(
                        matching.isEmpty() ? "claims" : "ambiguous",
                        matching.isEmpty()
                                ? "No deployment is bound to this token's claims."
                                : "More than one deployment is bound to this token's claims; bind each with"
                                        + " claims that tell them apart.");
            }
            IdentityBinding binding = matching.get(0);
            deploymentId = binding.deploymentId();
            DeploymentRef deployment = catalog.findDeploymentRef(
                            binding.project(), binding.environment(), binding.service())
                    .filter(found -> found.deploymentId().equals(binding.deploymentId()))
                    .orElseThrow(() -> Refused.notBound("deployment", "The bound deployment no longer exists."));
            Duration left = Duration.between(
                    clock.instant(), verified.getExpirationTime().toInstant());
            Duration lives = min(min(ttl, tokenProperties.workloadMaxTtl()), left);
            if (lives.compareTo(Duration.ofSeconds(1)) < 0) {
                lives = Duration.ofSeconds(1); // expired within the clock skew: accepted, so a token that barely lives
            }
            Actor actor = new Actor("identity-federation", clip("jwt " + subject, 200), requestId);
            WorkloadTokens.Minted minted =
                    tokens.mintFor(deployment, lives, fetches, "identity-federation", actor, "token.exchange");
            return new Exchanged(minted, deployment);
        }

        void record(String outcome, String reason, String accessor) {
            exchanges.save(new JwtExchangeRecord(
                    null, clock.instant(), deploymentId, issuer, subject, jti, outcome, reason, accessor, requestId));
        }
    }

    private static SignedJWT parse(String jwt) throws Refused {
        if (jwt == null || jwt.isBlank() || jwt.length() > MAX_JWT_LENGTH) {
            throw Refused.invalid("malformed", "it is not a JWT");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(jwt.strip());
        } catch (ParseException e) {
            throw Refused.invalid("malformed", "it is not a JWT");
        }
        if (!(parsed instanceof SignedJWT signed)
                || !ALGORITHMS.contains(signed.getHeader().getAlgorithm())) {
            throw Refused.invalid("algorithm", "it is not signed with an asymmetric algorithm the gateway accepts");
        }
        return signed;
    }

    private static String unverifiedIssuer(SignedJWT signed) throws Refused {
        try {
            String iss = signed.getJWTClaimsSet().getIssuer();
            if (iss == null || iss.isBlank()) {
                throw Refused.invalid("issuer", "it names no issuer");
            }
            return iss;
        } catch (ParseException e) {
            throw Refused.invalid("malformed", "its claims are not a JSON object");
        }
    }

    private JWTClaimsSet verify(SignedJWT signed, String iss, IdentityBinding binding) throws Refused {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        try {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys.of(binding)));
        } catch (JwksSources.JwksNotAllowedException e) {
            throw Refused.unavailable("jwks-url-not-allowed", "the issuer's key set URL is no longer allowed");
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(
                        null, new JWTClaimsSet.Builder().issuer(iss).build(), Set.of("exp")) {
                    @Override
                    protected Date currentTime() {
                        return Date.from(clock.instant());
                    }
                };
        claims.setMaxClockSkew((int) federation.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        try {
            return processor.process(signed, null);
        } catch (KeySourceException e) {
            throw Refused.unavailable("jwks-unavailable", "the issuer's key set could not be fetched");
        } catch (BadJWSException e) {
            throw Refused.invalid("signature", "its signature does not verify");
        } catch (BadJWTException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Expired")) {
                throw Refused.invalid("expired", "it has expired");
            }
            if (message.contains("before use time")) {
                throw Refused.invalid("not-yet-valid", "it is not valid yet");
            }
            if (message.contains("missing required claims")) {
                throw Refused.invalid("expiry-missing", "it has no expiry");
            }
            throw Refused.invalid("claims", "its registered claims do not hold");
        } catch (BadJOSEException e) {
            throw Refused.invalid("unknown-key", "no key of its issuer's key set verifies it");
        } catch (JOSEException e) {
            throw Refused.invalid("signature", "its signature does not verify");
        }
    }

    /** Every claim the binding names, as a string or a member of a list of strings. */
    private static boolean claimsMatch(IdentityBinding binding, JWTClaimsSet verified) {
        Map<String, Object> expected;
        try {
            expected = JSONObjectUtils.parse(binding.claims());
        } catch (ParseException e) {
            return false;
        }
        return expected.entrySet().stream().allMatch(want -> {
            Object actual = verified.getClaim(want.getKey());
            if (actual instanceof String text) {
                return text.equals(want.getValue());
            }
            return actual instanceof Collection<?> list && list.contains(want.getValue());
        });
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /** A refusal, with the word the exchange record keeps. */
    private static final class Refused extends Exception {
        final String reason;
        final ApiException answer;

        private Refused(String reason, ApiException answer) {
            super(reason, null, false, false);
            this.reason = reason;
            this.answer = answer;
        }

        static Refused invalid(String reason, String why) {
            return new Refused(
                    reason,
                    new ApiException(ErrorCode.JWT_INVALID, "The JWT was refused (" + reason + "): " + why + "."));
        }

        static Refused notBound(String reason, String detail) {
            return new Refused(reason, new ApiException(ErrorCode.IDENTITY_NOT_BOUND, detail));
        }

        static Refused unavailable(String reason, String why) {
            return new Refused(
                    reason, new ApiException(ErrorCode.JWKS_UNAVAILABLE, "The JWT could not be checked: " + why + "."));
        }
    }
}
