package io.vaultgate.devmode;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.vaultgate.access.AuthProperties;
import io.vaultgate.access.TokenInfo;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Dev mode's admin token, random at every start. Only its SHA-256 is kept
 * in memory; the token itself is printed in the start-up banner and written to
 * {@code <data-dir>/admin-token} (owner-only from its creation) so a local walkthrough can pick it up.
 */
@Singleton
@Requires(property = "vaultgate.mode", value = "dev")
class DevAdminToken implements ApplicationEventListener<ServerStartupEvent> {

    private static final String ACCESSOR = "dev-admin";

    private final byte[] tokenHash;
    private final String adminPolicy;
    private final Path tokenFile;
    private String tokenToAnnounce;

    DevAdminToken(AuthProperties auth, DevStoreProperties dev) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.tokenToAnnounce =
                "vg_dev_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.tokenHash = sha256(tokenToAnnounce);
        this.adminPolicy = auth.adminPolicy();
        this.tokenFile = dev.dataDir().resolve("admin-token");
    }

    /** The admin's identity when {@code token} is the admin token; {@link LocalTokenAuthority} asks first. */
    Optional<TokenInfo> lookup(String token) {
        if (MessageDigest.isEqual(tokenHash, sha256(token))) {
            return Optional.of(new TokenInfo(ACCESSOR, "dev-admin", Set.of(adminPolicy), Map.of(), null));
        }
        return Optional.empty();
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        announce(event.getSource().getURL().toString());
    }

    /** Writes the token file and prints the banner, once. */
    synchronized void announce(String address) {
        if (tokenToAnnounce == null) {
            return;
        }
        writeTokenFile(tokenToAnnounce);
        System.out.println("""

                ================================================================
                 Vaultgate is running in DEV MODE — for local use only.
                 Metadata: H2 file database; values: AES-256-GCM files under
                 %s
                 Nothing here is meant for production (see README: Production).

                 Address:     %s
                 Admin token: %s
                 (also in %s)

                 export VAULTGATE_ADDR=%s
                 export VAULTGATE_TOKEN=$(cat %s)
                ================================================================
                """.formatted(
                        tokenFile.getParent().toAbsolutePath(),
                        address,
                        tokenToAnnounce,
                        tokenFile.toAbsolutePath(),
                        address,
                        tokenFile.toAbsolutePath()));
        tokenToAnnounce = null;
    }

    private void writeTokenFile(String token) {
        try {
            DevDataFolder.writeOwnerOnly(tokenFile, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dev admin token file " + tokenFile, e);
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
