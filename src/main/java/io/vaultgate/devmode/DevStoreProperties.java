package io.vaultgate.devmode;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;

/**
 * Dev mode's local store.
 *
 * @param dataDir     the folder that holds the encrypted values, their key and the H2 metadata
 * @param maxVersions how many versions of one entry the local store keeps, like the KV v2 mount's
 *                    {@code max_versions} (default 100)
 */
@ConfigurationProperties("vaultgate.dev")
public record DevStoreProperties(Path dataDir, @Nullable Integer maxVersions) {

    public static final int DEFAULT_MAX_VERSIONS = 100;

    @Creator
    public DevStoreProperties {
        maxVersions = maxVersions == null ? DEFAULT_MAX_VERSIONS : maxVersions;
        if (maxVersions < 1) {
            throw new IllegalArgumentException("vaultgate.dev.max-versions must be at least 1, got " + maxVersions);
        }
    }

    public DevStoreProperties(Path dataDir) {
        this(dataDir, null);
    }
}
