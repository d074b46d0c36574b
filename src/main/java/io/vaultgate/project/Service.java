package io.vaultgate.project;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A deployable unit of a project. */
@MappedEntity("service")
public record Service(@Id @GeneratedValue @Nullable Long id, Long projectId, String slug, Instant createdAt) {}
