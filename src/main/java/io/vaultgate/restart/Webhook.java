package io.vaultgate.restart;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A project's restart hook. Its signing secret lives in the value store, never here. */
@MappedEntity("webhook")
record Webhook(
        @Id @GeneratedValue @Nullable Long id,
        String hookId,
        Long projectId,
        String url,
        @Nullable String environments,
        boolean enabled,
        @Nullable String disabledReason,
        Instant createdAt,
        String createdBy) {

    static final String REMOVED = "removed";

    /** The environments it listens to; empty means every environment. */
    List<String> environmentList() {
        return environments == null || environments.isEmpty() ? List.of() : Arrays.asList(environments.split(","));
    }

    boolean listensTo(String environment) {
        return environmentList().isEmpty() || environmentList().contains(environment);
    }

    boolean removed() {
        return REMOVED.equals(disabledReason);
    }

    Webhook disabled(String reason) {
        return new Webhook(id, hookId, projectId, url, environments, false, reason, createdAt, createdBy);
    }
}
