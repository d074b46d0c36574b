package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One entry of a project's hook networks, as {@link HookNetworks#entries()} writes it. */
@MappedEntity("hook_network")
record HookNetwork(
        @Id @GeneratedValue @Nullable Long id, Long projectId, String entry, Instant createdAt, String createdBy) {}
