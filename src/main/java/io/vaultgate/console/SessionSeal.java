package io.vaultgate.console;

import io.micronaut.context.annotation.Value;
import io.vaultgate.access.CallerToken;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals a {@link ConsoleSession} into a cookie value and opens it again, with AES-256-GCM under
 * {@code vaultgate.console.session-key}. The session lives in the cookie, not in MySQL or in a
 * replica's memory: any replica with the same key serves it, and the caller's token is stored
 * nowhere on the gateway's side. GCM authenticates as well as hides, so a cookie changed by one bit
 * opens to nothing. Each seal draws a fresh 96-bit nonce.
 */
@Singleton
class SessionSeal {

    private static final Logger LOG = LoggerFactory.getLogger(SessionSeal.class);
    private static final byte FORMAT = 1;
    private static final byte[] CONTEXT = "vaultgate-console-session".getBytes(StandardCharsets.US_ASCII);
    private static final String FORM_CONTEXT = "vaultgate-console-form:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    static final int CSRF_BYTES = 32;
    private static final int HEADER_BYTES = 1 + 8 + 8 + CSRF_BYTES;
    /** A 1 KiB token (the most a token may be) sealed, in base64: well under a browser's 4 KiB cookie. */
    private static final int MAX_COOKIE_CHARS = 2048;

    private final SecureRandom random = new SecureRandom();
    private final SecretKey key;

    SessionSeal(ConsoleProperties properties, @Value("${vaultgate.mode}") String mode) {
        this.key = keyOf(properties.sessionKey(), mode);
    }

    private SecretKey keyOf(String configured, String mode) {
        if (configured != null) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(configured);
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalArgumentException("vaultgate.console.session-key is not base64");
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException(
                        "vaultgate.console.session-key must be 32 bytes (base64 of `openssl rand 32`)");
            }
            return new SecretKeySpec(bytes, "AES");
        }
        if ("dev".equals(mode)) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            return new SecretKeySpec(bytes, "AES");
        }
        LOG.info("The web console is off: set vaultgate.console.session-key (the same on every replica) to turn it on");
        return null;
    }

    /** Whether the console can keep sessions at all: a key is configured, or this is dev mode. */
    boolean on() {
        return key != null;
    }

    String newCsrf() {
        byte[] bytes = new byte[CSRF_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String seal(ConsoleSession session) {
        byte[] token =
                session.token() == null ? new byte[0] : session.token().token().getBytes(StandardCharsets.UTF_8);
        ByteBuffer plain = ByteBuffer.allocate(HEADER_BYTES + token.length);
        plain.put(FORMAT)
                .putLong(session.startedAt().getEpochSecond())
                .putLong(session.lastSeen().getEpochSecond())
                .put(Base64.getUrlDecoder().decode(session.csrf()))
                .put(token);
        return encode(encrypt(plain.array(), CONTEXT));
    }

    /**
     * Seals what a form must carry to the next step but a page must never show in clear (a value
     * between its preview and its apply), bound to this session's CSRF secret: another session,
     * or the same one after sign-in again, cannot open it.
     */
    String sealForm(ConsoleSession session, byte[] plain) {
        return encode(encrypt(plain, formContext(session)));
    }

    Optional<byte[]> openForm(ConsoleSession session, String sealed) {
        try {
            return Optional.of(decrypt(Base64.getUrlDecoder().decode(sealed), formContext(session)));
        } catch (IllegalArgumentException | GeneralSecurityException notOurs) {
            return Optional.empty();
        }
    }

    private static byte[] formContext(ConsoleSession session) {
        return (FORM_CONTEXT + session.csrf()).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] encrypt(byte[] plain, byte[] context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private byte[] decrypt(byte[] all, byte[] context) throws GeneralSecurityException {
        if (all.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
        cipher.updateAAD(context);
        return cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The session the cookie holds; empty for a cookie this key did not seal, or one changed since. */
    Optional<ConsoleSession> open(String cookie) {
        if (cookie == null || cookie.length() > MAX_COOKIE_CHARS) {
            return Optional.empty();
        }
        try {
            byte[] all = Base64.getUrlDecoder().decode(cookie);
            if (all.length < NONCE_BYTES + HEADER_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            ByteBuffer plain = ByteBuffer.wrap(decrypt(all, CONTEXT));
            if (plain.get() != FORMAT) {
                return Optional.empty();
            }
            Instant startedAt = Instant.ofEpochSecond(plain.getLong());
            Instant lastSeen = Instant.ofEpochSecond(plain.getLong());
            byte[] csrf = new byte[CSRF_BYTES];
            plain.get(csrf);
            byte[] token = new byte[plain.remaining()];
            plain.get(token);
            return Optional.of(new ConsoleSession(
                    token.length == 0 ? null : new CallerToken(new String(token, StandardCharsets.UTF_8)),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(csrf),
                    startedAt,
                    lastSeen));
        } catch (IllegalArgumentException | GeneralSecurityException notOurs) {
            return Optional.empty();
        }
    }
}
