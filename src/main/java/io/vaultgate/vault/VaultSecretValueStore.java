package io.vaultgate.vault;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.annotation.Requires;
import io.vaultgate.values.CasMismatchException;
import io.vaultgate.values.DraftEntries;
import io.vaultgate.values.EntryFields;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.StoreHealth;
import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.VersionedEntry;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpStatusCodeException;

/**
 * Secret values in a Vault KV v2 mount: one entry per scope at
 * {@code <mount>/data/<pathPrefix>/<entry path>}, every write a check-and-set.
 *
 * <p>The raw KV v2 API is used instead of {@code VaultVersionedKeyValueOperations}: Spring Vault's
 * {@code Versioned.Version.unversioned()} cannot say {@code cas=0} ("must not exist yet"), and the
 * metadata of a deleted version (404 with {@code deletion_time}) is not reachable through it.
 */
@Singleton
@Requires(property = "vaultgate.mode", value = "production")
class VaultSecretValueStore implements SecretValueStore, DraftEntries {

    private static final String CAS_MISMATCH = "check-and-set parameter did not match the current version";

    private static final MediaType MERGE_PATCH = MediaType.parseMediaType("application/merge-patch+json");

    private final VaultCalls calls;
    private final KvLayout layout;
    private final int keysPerWrite;

    VaultSecretValueStore(VaultCalls calls, VaultProperties vault) {
        this.calls = calls;
        this.layout = new KvLayout(vault);
        this.keysPerWrite = vault.keysPerWrite();
    }

    @Override
    public Optional<VersionedEntry> read(EntryPath path) {
        String vaultPath = dataPath(path);
        return calls.read(vaultPath, rest -> KvEntries.readCurrent(rest, vaultPath, new HttpHeaders()));
    }

    @Override
    public Optional<VersionedEntry> read(EntryPath path, int version) {
        if (version <= 0) {
            // KV v2 reads version=0 as "latest"; for this port version 0 never exists.
            return Optional.empty();
        }
        String vaultPath = dataPath(path);
        return calls.read(
                        vaultPath,
                        rest -> getOrEmpty(
                                () -> rest.getForObject(vaultPath + "?version={version}", Map.class, version)))
                .flatMap(body -> KvEntries.entry(body, false))
                // Belt and braces: whatever Vault answers, only the version asked for is returned.
                .filter(entry -> entry.version() == version);
    }

    @Override
    public int currentVersion(EntryPath path) {
        return metadata(path)
                .map(data -> KvEntries.asInt(data.get("current_version")))
                .orElse(0);
    }

    @Override
    public int oldestKeptVersion(EntryPath path) {
        return metadata(path)
                .map(data -> {
                    // "versions" lists exactly the versions still kept (deleted or destroyed ones included);
                    // "oldest_version" stays 0 until Vault has dropped one, so it is only a fallback.
                    int oldest = KvEntries.child(data, "versions").keySet().stream()
                            .mapToInt(v -> parseVersion(String.valueOf(v)))
                            .filter(v -> v > 0)
                            .min()
                            .orElse(0);
                    if (oldest > 0) {
                        return oldest;
                    }
                    int current = KvEntries.asInt(data.get("current_version"));
                    return current == 0 ? 0 : Math.max(1, KvEntries.asInt(data.get("oldest_version")));
                })
                .orElse(0);
    }

    /** The entry's KV v2 metadata ({@code data} of {@code <mount>/metadata/...}); empty when never written. */
    private Optional<Map<?, ?>> metadata(EntryPath path) {
        String vaultPath = layout.metadataPath(path);
        return calls.read(vaultPath, rest -> getOrEmpty(() -> rest.getForObject(vaultPath, Map.class)))
                .map(body -> KvEntries.child(body, "data"));
    }

    private static int parseVersion(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public int write(
            EntryPath path, Map<String, SecretValue> values, String changeSetId, int cas, IntConsumer landsAs) {
        Map<String, String> data = EntryFields.forWrite(values, cas);
        if (data.size() + 1 <= keysPerWrite) {
            if (changeSetId != null) {
                data.put(EntryFields.CHANGE_SET, changeSetId);
            }
            // A check-and-set write on version n that succeeds is version n + 1.
            landsAs.accept(cas + 1);
            return put(path, data, cas);
        }
        return writeInSteps(path, data, changeSetId, cas, landsAs);
    }

    /**
     * An entry too large for one request on a stock listener (OpenBao refuses a JSON body of more
     * than 1,000 strings; a key and its value are two) is reached from the current version in
     * several versions, each a check-and-set on the one before: only the keys that differ, at most
     * {@code keys-per-write} a request, as JSON merge patches (a null removes a key). The
     * change-set id goes in the last step alone, so an entry caught half-way never carries it: the
     * reconciler then aborts the change-set, readers keep reading the acknowledged version, and the
     * next write starts again from wherever the entry stands.
     */
    private int writeInSteps(
            EntryPath path, Map<String, String> data, String changeSetId, int cas, IntConsumer landsAs) {
        Map<String, String> current = new LinkedHashMap<>();
        if (cas > 0) {
            read(path, cas).ifPresent(entry -> {
                entry.values().forEach((key, value) -> current.put(key, value.plaintext()));
                if (entry.changeSetId() != null) {
                    current.put(EntryFields.CHANGE_SET, entry.changeSetId());
                }
            });
        }
        Map<String, String> changes = new LinkedHashMap<>();
        data.forEach((key, value) -> {
            if (!value.equals(current.get(key))) {
                changes.put(key, value);
            }
        });
        current.keySet().stream()
                .filter(key -> !data.containsKey(key) && !EntryFields.CHANGE_SET.equals(key))
                .forEach(key -> changes.put(key, null));
        List<Map<String, String>> steps = new ArrayList<>();
        Map<String, String> step = new LinkedHashMap<>();
        for (Map.Entry<String, String> change : changes.entrySet()) {
            if (step.size() == keysPerWrite) {
                steps.add(step);
                step = new LinkedHashMap<>();
            }
            step.put(change.getKey(), change.getValue());
        }
        if (step.size() == keysPerWrite) {
            steps.add(step);
            step = new LinkedHashMap<>();
        }
        step.put(EntryFields.CHANGE_SET, changeSetId == null ? "" : changeSetId);
        steps.add(step);

        // Each step a check-and-set on the version before it: one version a step.
        landsAs.accept(cas + steps.size());
        int version = cas;
        boolean readable = !current.isEmpty();
        for (Map<String, String> next : steps) {
            if (readable) {
                version = patch(path, next, version);
            } else {
                // Nothing to patch yet (a new entry, or its latest version deleted): the first step
                // writes the entry whole. It holds only keys being set, never a removal.
                Map<String, String> first = new LinkedHashMap<>(next);
                first.values().removeIf(java.util.Objects::isNull);
                version = put(path, first, version);
                readable = true;
            }
        }
        return version;
    }

    private int put(EntryPath path, Map<String, String> data, int cas) {
        // The raw body, so that cas=0 is really sent: KV v2 then creates the entry only if it
        // does not exist yet.
        WriteRequest body = new WriteRequest(Map.of("cas", cas), data);
        String vaultPath = dataPath(path);
        Map<?, ?> answer = calls.write(vaultPath, rest -> {
            try {
                return rest.postForObject(vaultPath, body, Map.class);
            } catch (HttpClientErrorException.BadRequest e) {
                if (isCasMismatch(e)) {
                    throw new CasMismatchException(path, cas);
                }
                throw e;
            }
        });
        return writtenVersion(answer, vaultPath);
    }

    private int patch(EntryPath path, Map<String, String> changes, int cas) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MERGE_PATCH);
        HttpEntity<WriteRequest> body = new HttpEntity<>(new WriteRequest(Map.of("cas", cas), changes), headers);
        String vaultPath = dataPath(path);
        Map<?, ?> answer = calls.write(vaultPath, rest -> {
            try {
                return rest.exchange(vaultPath, HttpMethod.PATCH, body, Map.class)
                        .getBody();
            } catch (HttpClientErrorException.BadRequest e) {
                if (isCasMismatch(e)) {
                    throw new CasMismatchException(path, cas);
                }
                throw e;
            }
        });
        return writtenVersion(answer, vaultPath);
    }

    private static int writtenVersion(Map<?, ?> answer, String vaultPath) {
        int version = KvEntries.asInt(KvEntries.child(answer, "data").get("version"));
        if (version <= 0) {
            throw new ValueStoreException("vault accepted the write on " + vaultPath + " but reported no version");
        }
        return version;
    }

    @Override
    public void deleteDraft(EntryPath draft) {
        if (!draft.isDraft()) {
            throw new IllegalArgumentException("only a change-set draft's entry is ever deleted: " + draft);
        }
        // DELETE on the metadata removes every version and the metadata: nothing staged is left.
        String vaultPath = layout.metadataPath(draft);
        calls.write(vaultPath, rest -> {
            rest.delete(vaultPath);
            return null;
        });
    }

    @Override
    public StoreHealth health() {
        int status;
        try {
            // standbyok/perfstandbyok: a standby forwards requests to the active node, so it serves us.
            status = calls.unauthenticated(rest -> {
                try {
                    ResponseEntity<Map> answer = rest.exchange(
                            "sys/health?standbyok=true&perfstandbyok=true", HttpMethod.GET, null, Map.class);
                    return answer.getStatusCode().value();
                } catch (HttpStatusCodeException e) {
                    return e.getStatusCode().value();
                }
            });
        } catch (RuntimeException e) {
            return StoreHealth.down(
                    untrusted(e)
                            ? "vault's TLS certificate is not trusted (check vaultgate.vault.ca-cert, VAULT_CACERT)"
                            : "vault is unreachable");
        }
        String breaker = "; circuit breaker " + calls.breakerState().name().toLowerCase();
        return switch (status) {
            case 200 -> StoreHealth.up("vault is unsealed and active" + breaker);
            case 429, 473 -> StoreHealth.up("vault is an unsealed standby" + breaker);
            case 503 -> StoreHealth.down("vault is sealed");
            case 501 -> StoreHealth.down("vault is not initialized");
            case 472 -> StoreHealth.down("vault is a disaster-recovery secondary and cannot serve");
            default -> StoreHealth.down("vault health answered HTTP " + status);
        };
    }

    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A KV v2 write body. A record rather than a map so that Spring's debug logging of request
     * bodies ("Writing [...]") prints no value.
     */
    record WriteRequest(
            Map<String, Integer> options,
            // A null in a merge patch removes the key: it must be sent.
            @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
            Map<String, String> data) {
        @Override
        public String toString() {
            return "WriteRequest[options=" + options + ", keys=" + data.keySet() + "]";
        }
    }

    private String dataPath(EntryPath path) {
        return layout.dataPath(path);
    }

    /**
     * A 404 on a KV v2 data read means: never written, or that version deleted, destroyed or no
     * longer kept (the body then carries its metadata, which the port does not need).
     */
    private static Optional<Map<?, ?>> getOrEmpty(java.util.function.Supplier<Map> get) {
        try {
            return Optional.ofNullable(get.get());
        } catch (HttpClientErrorException.NotFound e) {
            return Optional.empty();
        }
    }

    private static boolean isCasMismatch(HttpStatusCodeException e) {
        // Read here and nowhere else; the body never leaves this method.
        return e.getResponseBodyAsString().contains(CAS_MISMATCH);
    }
}
