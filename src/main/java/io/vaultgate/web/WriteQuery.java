package io.vaultgate.web;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The query flags of a write route, as the request sends them; a route takes it as
 * {@code @RequestBean WriteQuery query} (so the API contract lists the flags) and reads them by
 * {@link #flags()}, the one rule of {@link WriteFlags}.
 */
@Introspected
public record WriteQuery(
        @Schema(
                description = "Answer what would change and who would restart; change nothing. A bare ?dryRun is true.",
                type = "boolean")
        @io.swagger.v3.oas.annotations.Parameter(allowEmptyValue = true)
        @QueryValue
        @Nullable
        String dryRun,

        @io.swagger.v3.oas.annotations.Parameter(
                description = "'none' applies the write without restart events.",
                schema = @Schema(allowableValues = {"events", "none"}))
        @QueryValue
        @Nullable
        String restart) {

    public WriteFlags flags() {
        return WriteFlags.parse(dryRun, null, restart);
    }
}
