package io.vaultgate.restart;

import com.standardwebhooks.Webhook;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.VersionedEntry;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hook signing secrets: {@code whsec_} + base64 of 32 random bytes, answered once at
 * registration and kept only in the value store (Vault in production), never in MySQL.
 * Signers are cached in memory per hook so a burst of deliveries reads Vault once.
 */
@Singleton
class HookSecrets {

    private static final String FIELD = "SIGNING_SECRET";
    private static final int SECRET_BYTES = 32;

    private final SecretValueStore store;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Webhook> signers = new ConcurrentHashMap<>();

    HookSecrets(SecretValueStore store) {
        this.store = store;
    }

    /** Creates and stores the secret of a new hook; the caller answers it once and forgets it. */
    SecretValue create(String project, String hookId) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        SecretValue secret = new SecretValue("whsec_" + Base64.getEncoder().encodeToString(bytes));
        store.write(pathOf(project, hookId), Map.of(FIELD, secret), "hook-" + hookId, 0);
        return secret;
    }

    Webhook signer(String project, String hookId) {
        return signers.computeIfAbsent(
                hookId,
                id -> new Webhook(store.read(pathOf(project, id))
                        .map(VersionedEntry::values)
                        .map(values -> values.get(FIELD))
                        .orElseThrow(() -> new ValueStoreException("no signing secret stored for hook " + id))
                        .plaintext()));
    }

    void forget(String hookId) {
        signers.remove(hookId);
    }

    private static EntryPath pathOf(String project, String hookId) {
        return new EntryPath(project + "/hooks/" + hookId);
    }
}
