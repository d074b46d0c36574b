package io.vaultgate.vault;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultgate.values.EntryFields;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.VersionedEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestOperations;

/**
 * The one reading of KV v2 answers: an entry's current version (with the gateway's token or a
 * caller's), a version as a {@link VersionedEntry}, and the few fields every Vault answer is read
 * by. Vault's bodies go no further than this class, the change-set field never becomes a key.
 */
final class KvEntries {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KvEntries() {}

    /**
     * The current version of the entry at {@code vaultPath} (a KV v2 data path), or empty when it
     * was never written. A latest version that an operator soft-deleted or destroyed reads as that
     * version with no keys.
     *
     * @param headers sent with the read: none for the gateway's own session, a token for a caller's read
     */
    static Optional<VersionedEntry> readCurrent(RestOperations rest, String vaultPath, HttpHeaders headers) {
        try {
            Map<?, ?> body = rest.exchange(vaultPath, HttpMethod.GET, new HttpEntity<>(headers), Map.class)
                    .getBody();
            return body == null ? Optional.empty() : entry(body, true);
        } catch (HttpClientErrorException.NotFound e) {
            // Never written, or its latest version soft-deleted or destroyed: then the 404 body still
            // carries that version's metadata (and no data).
            return metadataOfMissingVersion(e).flatMap(metadata -> entry(metadata, true));
        }
    }

    /**
     * The entry version in a KV v2 data answer. A soft-deleted or destroyed version is no longer
     * readable; as the latest version ({@code latest}) it still is the entry's current state, so
     * it reads as that version with no keys: a writer then continues from its version number
     * instead of failing check-and-set with 0 forever.
     */
    static Optional<VersionedEntry> entry(Map<?, ?> body, boolean latest) {
        Map<?, ?> outer = child(body, "data");
        Map<?, ?> metadata = child(outer, "metadata");
        int version = asInt(metadata.get("version"));
        Object deletionTime = metadata.get("deletion_time");
        boolean deleted = deletionTime instanceof String s && !s.isEmpty();
        if (deleted || Boolean.TRUE.equals(metadata.get("destroyed")) || outer.get("data") == null) {
            return latest && version > 0 ? Optional.of(new VersionedEntry(version, Map.of(), null)) : Optional.empty();
        }
        Map<String, SecretValue> values = new LinkedHashMap<>();
        String changeSetId = null;
        for (Map.Entry<?, ?> field : child(outer, "data").entrySet()) {
            String key = String.valueOf(field.getKey());
            String text = field.getValue() == null ? "" : String.valueOf(field.getValue());
            if (EntryFields.CHANGE_SET.equals(key)) {
                changeSetId = text;
            } else {
                values.put(key, new SecretValue(text));
            }
        }
        return Optional.of(new VersionedEntry(version, values, changeSetId));
    }

    /** The object at {@code key} of a Vault answer; empty when it is absent or not an object. */
    static Map<?, ?> child(Map<?, ?> map, String key) {
        Object value = map == null ? null : map.get(key);
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    /** A number of a Vault answer as an int; 0 when it is absent or not a number. */
    static int asInt(Object value) {
        return value instanceof Number n ? n.intValue() : 0;
    }

    /**
     * The metadata part of a 404 data answer, if any. Only {@code data.metadata} is kept: a 404
     * never carries values, and nothing of the body goes further than this method.
     */
    private static Optional<Map<?, ?>> metadataOfMissingVersion(HttpClientErrorException.NotFound e) {
        try {
            Map<?, ?> body = JSON.readValue(e.getResponseBodyAsByteArray(), Map.class);
            Map<?, ?> metadata = child(child(body, "data"), "metadata");
            return metadata.isEmpty() ? Optional.empty() : Optional.of(Map.of("data", Map.of("metadata", metadata)));
        } catch (java.io.IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
