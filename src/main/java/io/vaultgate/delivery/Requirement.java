package io.vaultgate.delivery;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A key a service declares it needs, in every environment it runs in. */
@MappedEntity("service_requirement")
record Requirement(
        @Id @GeneratedValue @Nullable Long id, Long serviceId, String keyName, Instant createdAt, String createdBy) {}
