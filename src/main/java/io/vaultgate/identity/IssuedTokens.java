package io.vaultgate.identity;

import io.vaultgate.access.AuthProperties;
import io.vaultgate.access.MintedTokens;
import io.vaultgate.access.TokenIntrospection;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What this gateway knows of the tokens it minted, from {@code issued_token}: whether a presented
 * token is one of them before Vault is asked (by a SHA-256 of it), and whether an accessor is one
 * of them and still live.
 *
 * <p>Only a token recorded here holds a project role (project admin, deployer, workload): one
 * minted through the gateway's token roles by anyone else (a stolen gateway token, say) is nobody
 * to the gateway, and rotating the gateway's token ends what it minted. Admin and metrics tokens
 * are made in Vault by people and are not recorded; their policies alone carry their role.
 *
 * <p>Answers are remembered per accessor until the token expires or {@code vaultgate.auth.issued-cache-ttl}
 * passes; a revocation through any replica reaches here through {@link #forget} (revocation sync),
 * so a remembered "live" never outlives a revocation by more than that sync.
 */
@Singleton
class IssuedTokens implements MintedTokens {

    private static final int MAX_REMEMBERED = 50_000;

    private final IssuedTokenRepository issued;
    private final TokenIntrospection introspection;
    private final Duration rememberFor;
    private final Clock clock;
    /** accessor → until when it is known to be live (absent: not known). Oldest first, bounded. */
    private final Map<String, Instant> live = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    /** accessors forgotten lately → until when; guarded by {@code live}'s lock. */
    private final Map<String, Instant> revoked = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    IssuedTokens(IssuedTokenRepository issued, TokenIntrospection introspection, AuthProperties auth, Clock clock) {
        this.issued = issued;
        this.introspection = introspection;
        this.rememberFor = auth.issuedCacheTtl();
        this.clock = clock;
    }

    /** SHA-256 (hex) of a token, as {@code issued_token.token_hash} keeps it. */
    static String hashOf(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whether the presented token is one this gateway minted and has not revoked (one SQL statement). */
    @Override
    public boolean mintedHere(String token) {
        Optional<IssuedTokenRecord> record = issued.findByTokenHash(hashOf(token));
        record.ifPresent(this::remember);
        return record.map(r -> r.live(clock.instant()) && !recentlyRevoked(r.accessor()))
                .orElse(false);
    }

    /** Whether the token with this accessor is one this gateway minted and has not revoked. */
    @Override
    public boolean live(String accessor) {
        Instant now = clock.instant();
        synchronized (live) {
            Instant until = live.get(accessor);
            if (until != null && now.isBefore(until)) {
                return true;
            }
        }
        Optional<IssuedTokenRecord> record = issued.findById(accessor);
        record.ifPresent(this::remember);
        return record.map(r -> r.live(now) && !recentlyRevoked(accessor)).orElse(false);
    }

    private boolean recentlyRevoked(String accessor) {
        synchronized (live) {
            Instant until = revoked.get(accessor);
            return until != null && clock.instant().isBefore(until);
        }
    }

    /**
     * Forgets what this replica remembers of a revoked token: here, and its cached lookup. Neither
     * remembers it again from a read that was under way when it was revoked.
     */
    void forget(String accessor) {
        Instant now = clock.instant();
        synchronized (live) {
            live.remove(accessor);
            revoked.put(accessor, now.plus(rememberFor));
        }
        introspection.forget(accessor);
    }

    private void remember(IssuedTokenRecord record) {
        Instant now = clock.instant();
        synchronized (live) {
            Instant revokedUntil = revoked.get(record.accessor());
            if (revokedUntil != null && now.isBefore(revokedUntil)) {
                return;
            }
            if (record.live(now)) {
                Instant until = now.plus(rememberFor);
                live.put(record.accessor(), until.isBefore(record.expiresAt()) ? until : record.expiresAt());
            } else {
                live.remove(record.accessor());
            }
        }
    }
}
