package io.vaultgate.secret;

import io.vaultgate.scope.KeyNames;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.JsonBodies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An import's JSON object of KEY to value, read one field at a time so that the key-count and
 * size limits refuse the body at the key that crosses them, before the rest of it is built
 * into objects. Errors name the key, never the value.
 */
final class JsonImport {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonImport() {
    }

    static Map<String, String> read(String body, SecretRules rules) {
        if (body == null || body.isBlank()) {
            throw new ApiException(ErrorCode.INVALID_JSON, "The request needs a JSON body.");
        }
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ApiException(ErrorCode.INVALID_JSON, "An import is a JSON object of KEY to string value.");
            }
            Map<String, String> keys = new LinkedHashMap<>();
            long bytes = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = KeyNames.require(parser.currentName());
                rules.requireRoomForKey(key, keys.size());
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    throw new ApiException(ErrorCode.INVALID_SECRET_VALUE,
                            "The value of " + key + " must be a JSON string.", key);
                }
                String value = parser.getText();
                bytes += key.length() + rules.requireValue(key, value).utf8Length();
                rules.requireImportBytes(key, bytes);
                keys.put(key, value);
            }
            if (parser.nextToken() != null) {
                throw new ApiException(ErrorCode.INVALID_JSON, "The request body holds more than one JSON object.");
            }
            return keys;
        } catch (JsonProcessingException e) {
            throw JsonBodies.notJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a JSON import from memory", e);
        }
    }
}
