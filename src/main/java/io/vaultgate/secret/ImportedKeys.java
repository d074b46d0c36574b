package io.vaultgate.secret;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a JSON import: KEY to value, in the order sent, every name, value and limit already
 * checked by {@link ImportedKeysReader} while the body was read. Its schema in the API contract
 * is written by hand (ImportKeys in src/main/openapi/components.yml): the generator cannot state a map as a record.
 */
@Schema(ref = "#/components/schemas/ImportKeys")
record ImportedKeys(Map<String, String> keys) {

    ImportedKeys {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    @Override
    public String toString() {
        return "ImportedKeys" + keys.keySet();
    }
}
