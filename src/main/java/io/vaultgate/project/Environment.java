package io.vaultgate.project;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.vaultgate.scope.EnvironmentType;
import java.time.Instant;

/** A place a project runs, with its type (production, staging, ...). */
@MappedEntity("environment")
public record Environment(
        @Id @GeneratedValue @Nullable Long id,
        Long projectId,
        String slug,
        String type,
        Instant createdAt,
        Instant updatedAt) {

    public EnvironmentType environmentType() {
        return EnvironmentType.stored(type);
    }
}
