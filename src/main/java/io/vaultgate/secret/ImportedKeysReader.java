package io.vaultgate.secret;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.vaultgate.scope.KeyNames;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a JSON import one field at a time, so that a bad name, a value that is not a string
 * (null included) or the key or byte limit refuses the body at the field that breaks it, before
 * the rest is built into objects: a body of a million keys costs what its first few thousand do.
 * Errors name a key only once it is a valid key name, and never a value.
 */
@Singleton
class ImportedKeysReader extends StdDeserializer<ImportedKeys> {

    private final transient SecretRules rules;

    ImportedKeysReader(SecretRules rules) {
        super(ImportedKeys.class);
        this.rules = rules;
    }

    @Override
    public ImportedKeys deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.isExpectedStartObjectToken()) {
            throw new ApiException(ErrorCode.INVALID_JSON, "An import is a JSON object of KEY to string value.");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        long bytes = 0;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            String key = KeyNames.require(name);
            rules.requireRoomForKey(key, keys.size());
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw new ApiException(
                        ErrorCode.INVALID_SECRET_VALUE, "The value of " + key + " must be a JSON string.", key);
            }
            String value = parser.getText();
            bytes += key.length() + rules.requireValue(key, value).utf8Length();
            rules.requireImportBytes(key, bytes);
            keys.put(key, value);
        }
        return new ImportedKeys(keys);
    }
}
