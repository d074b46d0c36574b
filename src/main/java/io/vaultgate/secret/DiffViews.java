package io.vaultgate.secret;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What {@code GET /v1/projects/{p}/diff} answers: keys, their sources and at most whether two
 * values are equal. No type here has a field for a value, a hash or a length.
 */
public final class DiffViews {

    static final String FROM = "from";
    static final String TO = "to";
    static final String BOTH = "both";

    private DiffViews() {}

    /**
     * @param service        the one service compared ({@code service=}), or null for every service
     * @param valuesCompared whether {@code values=true} was asked: only then does a key present on
     *                       both sides carry {@code equal}
     */
    public record Comparison(
            String project,
            Side from,
            Side to,
            @Nullable String service,
            boolean valuesCompared,
            Summary summary,
            List<ServiceDiff> services) {}

    public record Side(String environment, String environmentType) {}

    /**
     * One service deployed in either environment.
     *
     * @param deployedIn {@code both}, or the one side it is deployed in: then it has no keys to
     *                   compare (its deployment's own keys are at {@code …/resolved})
     * @param keys       every key either deployment resolves, sorted
     */
    public record ServiceDiff(
            String service,
            @Schema(allowableValues = {BOTH, FROM, TO}) String deployedIn,
            List<KeyDiff> keys) {}

    /**
     * One key of a service deployed in both environments. What does not apply is left out.
     *
     * @param onlyIn     {@code from} or {@code to} when only that side resolves the key; absent when both do
     * @param fromSource where the {@code from} deployment resolves it from; absent when it does not
     * @param toSource   where the {@code to} deployment resolves it from; absent when it does not
     * @param sameSource both resolve it from the one scope (the project's, the service's, or an
     *                   environment type both environments have): the same value, by construction
     * @param equal      with {@code values=true}, for a key both resolve: whether the two values are
     *                   equal, compared inside the gateway; absent otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyDiff(
            String key,
            @Nullable @Schema(allowableValues = {FROM, TO}) String onlyIn,
            // Not @Nullable: the generator would type a nullable reference as null alone; absent says it.
            @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            SecretViews.Source fromSource,

            @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            SecretViews.Source toSource,

            boolean sameSource,
            @Nullable Boolean equal) {}

    /**
     * Counts over every service compared.
     *
     * @param keysFromDifferentSources keys both resolve, from two different scopes
     * @param keysUnequal              of those, the ones whose values differ; null without {@code values=true}
     */
    public record Summary(
            int servicesInBoth,
            int servicesOnlyInFrom,
            int servicesOnlyInTo,
            int keysOnlyInFrom,
            int keysOnlyInTo,
            int keysFromDifferentSources,
            int keysFromSameSource,
            @Nullable Integer keysUnequal) {}
}
