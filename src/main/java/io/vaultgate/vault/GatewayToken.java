package io.vaultgate.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.vault.authentication.SessionManager;
import org.springframework.vault.support.VaultToken;

/**
 * The gateway's own Vault token, as the session of the Vault client that uses it: every call
 * reads the current one, so replacing it switches every later call at once, in-flight ones that
 * Vault refuses included ({@link VaultCalls} sends those again with the new token).
 *
 * <p>From a file, the token can change while the gateway runs; from {@code vaultgate.vault.token}
 * it is fixed. Neither the token nor the file's content ever reaches a log or an error: messages
 * name the file.
 */
final class GatewayToken implements SessionManager {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayToken.class);
    /** A token is at most 1 KiB (the bearer filter's own bound); a larger file holds something else. */
    private static final long MAX_FILE_BYTES = 4096;

    private final Path file;
    private final AtomicLong switches = new AtomicLong();
    private volatile String current;

    private GatewayToken(Path file, String token) {
        this.file = file;
        this.current = token;
    }

    /** The token of {@code vaultgate.vault.token}, or of the token file when one is named. */
    static GatewayToken of(VaultProperties vault, GatewayTokenProperties source) {
        Path file = source == null ? null : source.file();
        if (file == null) {
            if (vault.token() == null || vault.token().isBlank()) {
                throw new IllegalStateException(
                        "vaultgate.vault.token (VAULT_TOKEN) or vaultgate.vault.token-file must be set in production mode");
            }
            return new GatewayToken(null, vault.token().strip());
        }
        String token = read(file);
        if (token == null) {
            throw new IllegalStateException("vaultgate.vault.token-file (" + file
                    + ") must be a readable file holding the gateway's token and nothing else");
        }
        return new GatewayToken(file, token);
    }

    /** A token that never changes. */
    static GatewayToken fixed(String token) {
        return new GatewayToken(null, token);
    }

    @Override
    public VaultToken getSessionToken() {
        return VaultToken.of(current);
    }

    /** The token calls are sent with now, to tell afterwards whether it changed meanwhile. */
    String current() {
        return current;
    }

    /** How many times the token was replaced since start. */
    long switches() {
        return switches.get();
    }

    /**
     * Reads the file again and switches to the token in it if it differs. A file that is missing,
     * empty or holds more than one token is reported and the current token kept: an operator
     * halfway through writing it must not take the gateway down.
     *
     * @return whether the token changed
     */
    synchronized boolean reload() {
        if (file == null) {
            return false;
        }
        String read = read(file);
        if (read == null) {
            LOG.warn(
                    "the gateway token file {} is unreadable, empty or not one token; keeping the current token", file);
            return false;
        }
        if (read.equals(current)) {
            return false;
        }
        current = read;
        switches.incrementAndGet();
        LOG.info("the gateway's Vault token changed in {}; every call from now on uses the new one", file);
        return true;
    }

    /**
     * After Vault refused a call made with {@code used}: whether a newer token is there to send
     * it again with (another call already switched, or the file holds a new one).
     */
    synchronized boolean newerThan(String used) {
        return !current.equals(used) || reload();
    }

    private static String read(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
                return null;
            }
            String token = Files.readString(file).strip();
            return token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? null : token;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "GatewayToken[file=" + file + ", token=redacted]";
    }
}
