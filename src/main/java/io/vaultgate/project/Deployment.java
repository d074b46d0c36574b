package io.vaultgate.project;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A service in an environment: the unit that boots, reads its environment and restarts. */
@MappedEntity("deployment")
public record Deployment(
        @Id @GeneratedValue @Nullable Long id, Long projectId, Long environmentId, Long serviceId, Instant createdAt) {}
