package io.vaultgate.secret;

import io.vaultgate.scope.KeyNames;
import io.vaultgate.web.PathParameters;
import jakarta.inject.Singleton;
import java.util.Map;

/** A secret's name in the API contract: what can be an environment variable. */
@Singleton
class SecretPathParameters implements PathParameters {

    @Override
    public Map<String, Map<String, Object>> schemas() {
        return Map.of("key", Map.of("type", "string", "pattern", KeyNames.PATTERN));
    }
}
