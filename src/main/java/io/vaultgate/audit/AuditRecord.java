package io.vaultgate.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One audited write: who (token accessor and display name), what, where, which keys, which
 * change-set, how it ended, the request id, and for secret writes whether restart events were
 * emitted ({@code events}) or waived ({@code none}) and which keys were answered {@code unchanged}
 * (null when none: the caller learned for those that the value sent is the stored one). Never a value.
 */
@MappedEntity("audit_log")
public record AuditRecord(
        @Id @GeneratedValue @Nullable Long id,
        @Nullable Long projectId,
        Instant recordedAt,
        String actor,
        @Nullable String actorName,
        String action,
        String scope,
        String keyNames,
        @Nullable String changeSetId,
        String outcome,
        @Nullable String errorCode,
        String requestId,
        @Nullable String restartMode,
        @Nullable String unchangedKeys) {}
