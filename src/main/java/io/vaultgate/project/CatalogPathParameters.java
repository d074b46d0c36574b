package io.vaultgate.project;

import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Slugs;
import io.vaultgate.web.PathParameters;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.Map;

/** The catalog's names in the API contract: slugs, and the environment types by their wire names. */
@Singleton
class CatalogPathParameters implements PathParameters {

    @Override
    public Map<String, Map<String, Object>> schemas() {
        Map<String, Object> slug = Map.of("type", "string", "pattern", Slugs.PATTERN);
        return Map.of(
                "project", slug,
                "environment", slug,
                "service", slug,
                "environmentType",
                        Map.of(
                                "type",
                                "string",
                                "enum",
                                Arrays.stream(EnvironmentType.values())
                                        .map(EnvironmentType::wireName)
                                        .toList()));
    }
}
