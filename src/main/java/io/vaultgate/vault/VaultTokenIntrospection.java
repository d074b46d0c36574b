package io.vaultgate.vault;

import io.micronaut.context.annotation.Requires;
import io.vaultgate.access.AuthProperties;
import io.vaultgate.access.LookupAdmission;
import io.vaultgate.access.LookupThrottledException;
import io.vaultgate.access.TokenInfo;
import io.vaultgate.access.TokenIntrospection;
import io.vaultgate.values.ValueStoreException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.client.HttpClientErrorException;

/**
 * Caller tokens looked up in Vault ({@code POST auth/token/lookup}) with the gateway's own token.
 * Looking a token up this way, rather than with the token itself, does not spend one of its
 * {@code num_uses}.
 *
 * <p>Answers are cached for {@code vaultgate.auth.cache-ttl} at most and never past the token's
 * expiry, unknown tokens included (a retried garbage token costs Vault nothing). A token revoked
 * through this gateway is {@linkplain #forget forgotten} at once: its cached answer goes, and its
 * accessor is remembered for a while so that an answer about it already on its way from Vault
 * (looked up just before the revocation) is taken as "unknown" and not cached. Other replicas
 * learn of the revocation from MySQL within a second (identity's revocation sync); a token revoked
 * in Vault directly keeps working here for the cache ttl at worst. A token with a use limit is
 * never cached: its remaining {@code num_uses} must be current. The cache is keyed by a SHA-256
 * of the token: a heap dump shows no usable token.
 */
@Singleton
@Requires(property = "vaultgate.mode", value = "production")
class VaultTokenIntrospection implements TokenIntrospection {

    private static final String LOOKUP_PATH = "auth/token/lookup";
    /** Past this many cached answers, expired ones are swept out on the next insert. */
    private static final int SWEEP_ABOVE = 1_000;
    /** A hard bound, so a flood of distinct garbage tokens cannot grow the heap without end. */
    private static final int MAX_ENTRIES = 50_000;

    private static final Duration FORGET_AT_LEAST = Duration.ofMinutes(1);

    private final VaultCalls calls;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Accessors forgotten recently, until when: an answer about one of them is not to be trusted. */
    private final Map<String, Instant> forgotten = new ConcurrentHashMap<>();

    VaultTokenIntrospection(VaultCalls calls, AuthProperties auth, Clock clock) {
        this.calls = calls;
        this.cacheTtl = auth.cacheTtl();
        this.clock = clock;
    }

    @Override
    public Optional<TokenInfo> lookup(String token, LookupAdmission admission) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String key = sha256(token);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.info();
        }
        if (!admission.admit(token)) {
            throw new LookupThrottledException();
        }
        Optional<TokenInfo> info = lookupInVault(token);
        if (info.isPresent() && wasForgotten(info.get().accessor(), clock.instant())) {
            return Optional.empty(); // revoked while Vault's answer was on its way
        }
        remember(key, info, now);
        if (info.isPresent() && wasForgotten(info.get().accessor(), clock.instant())) {
            cache.remove(key); // forgotten between the check above and remembering it
            return Optional.empty();
        }
        return info;
    }

    private boolean wasForgotten(String accessor, Instant now) {
        Instant until = accessor == null ? null : forgotten.get(accessor);
        return until != null && now.isBefore(until);
    }

    private Optional<TokenInfo> lookupInVault(String token) {
        LookupRequest body = new LookupRequest(token);
        Map<?, ?> answer = calls.lookup(LOOKUP_PATH, rest -> {
            try {
                return rest.postForObject(LOOKUP_PATH, body, Map.class);
            } catch (HttpClientErrorException.BadRequest e) {
                // Unknown, malformed or expired token.
                return null;
            } catch (HttpClientErrorException.Forbidden e) {
                // Vault answers 403 "bad token" for an unknown token, and 403 "permission denied"
                // when the gateway's own token may not look tokens up: only the first means "unknown".
                if (e.getResponseBodyAsString().contains("bad token")) {
                    return null;
                }
                throw e;
            }
        });
        if (answer == null || !(answer.get("data") instanceof Map<?, ?> data)) {
            return Optional.empty();
        }
        Set<String> policies = new HashSet<>(strings(data.get("policies")));
        policies.addAll(strings(data.get("identity_policies")));
        Map<String, String> meta = new LinkedHashMap<>();
        if (data.get("meta") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (k != null && v != null) {
                    meta.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        return Optional.of(new TokenInfo(
                stringOrNull(data.get("accessor")),
                stringOrNull(data.get("display_name")),
                policies,
                meta,
                expiry(data.get("expire_time")),
                KvEntries.asInt(data.get("num_uses"))));
    }

    @Override
    public void forget(String accessor) {
        if (accessor == null) {
            return;
        }
        Instant now = clock.instant();
        if (forgotten.size() >= SWEEP_ABOVE) {
            forgotten.values().removeIf(until -> !now.isBefore(until));
            if (forgotten.size() >= MAX_ENTRIES) {
                forgotten.clear();
            }
        }
        // Long enough to outlast any lookup already under way (its retries included) and the cache.
        forgotten.put(accessor, now.plus(cacheTtl.compareTo(FORGET_AT_LEAST) > 0 ? cacheTtl : FORGET_AT_LEAST));
        cache.values()
                .removeIf(c -> c.info().map(i -> accessor.equals(i.accessor())).orElse(false));
    }

    private void remember(String key, Optional<TokenInfo> info, Instant now) {
        Instant until = now.plus(cacheTtl);
        Instant expiresAt = info.map(TokenInfo::expiresAt).orElse(null);
        if (expiresAt != null && expiresAt.isBefore(until)) {
            until = expiresAt;
        }
        if (!now.isBefore(until) || info.map(TokenInfo::limitedUses).orElse(false)) {
            return;
        }
        if (cache.size() >= SWEEP_ABOVE) {
            cache.values().removeIf(c -> !now.isBefore(c.until()));
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
        }
        cache.put(key, new Cached(info, until));
    }

    private static Instant expiry(Object expireTime) {
        // null or "" for a token that never expires (root, or no TTL).
        if (!(expireTime instanceof String s) || s.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new ValueStoreException("vault answered an unreadable expire_time for a token lookup");
        }
    }

    private static List<String> strings(Object list) {
        if (!(list instanceof List<?> l)) {
            return List.of();
        }
        return l.stream().filter(o -> o != null).map(String::valueOf).toList();
    }

    private static String stringOrNull(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The lookup body. A record rather than a map so that Spring's debug logging of request
     * bodies ("Writing [...]") prints no token.
     */
    record LookupRequest(String token) {
        @Override
        public String toString() {
            return "LookupRequest[token=redacted]";
        }
    }

    /** One cached answer; {@code info} empty for an unknown token. */
    private record Cached(Optional<TokenInfo> info, Instant until) {}
}
