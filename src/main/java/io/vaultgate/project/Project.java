package io.vaultgate.project;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A tenant: a set of environments, services and secrets. */
@MappedEntity("project")
public record Project(@Id @GeneratedValue @Nullable Long id, String slug, Instant createdAt, String createdBy) {}
