package io.vaultgate.project;

import io.vaultgate.scope.EnvironmentType;
import java.util.List;

/**
 * What a catalog write would restart, for {@code ?dryRun=true}: answered by the feature that
 * knows resolution (secrets), without writing anything.
 */
public interface CatalogPreview {

    /** A deployment that would restart, and the keys whose resolved value would change for it. */
    record Restart(String environment, String service, List<String> keys) {}

    List<Restart> registration(Project project, Environment environment, Service service);

    List<Restart> typeChange(Project project, Environment environment, EnvironmentType newType);
}
