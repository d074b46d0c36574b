package io.vaultgate.audit;

import io.micronaut.core.annotation.Nullable;

/**
 * Which audit records to show; a null or blank part does not filter.
 *
 * @param actor     the actor's token accessor or display name, exactly
 * @param key       a key among the record's keys
 * @param changeSet the change-set id
 */
public record AuditFilter(
        @Nullable String actor,
        @Nullable String key,
        @Nullable String changeSet) {

    public AuditFilter {
        actor = blankToNull(actor);
        key = blankToNull(key);
        changeSet = blankToNull(changeSet);
    }

    private static String blankToNull(String part) {
        return part == null || part.isBlank() ? null : part.strip();
    }
}
