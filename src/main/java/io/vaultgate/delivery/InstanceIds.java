package io.vaultgate.delivery;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import java.util.regex.Pattern;

/**
 * The instance id a booting container names itself by ({@code Vaultgate-Instance}, which
 * {@code vaultgate run} fills with its host name). The caller chooses it freely, so it is shown
 * in the rollout ledger and used for nothing else: never for access, never in a log line.
 */
final class InstanceIds {

    static final String HEADER = "Vaultgate-Instance";
    /**
     * Host names, pod names and container ids fit; nothing that could be markup, a path or a line
     * break. The contract's Instance parameter (src/main/openapi/components.yml) states it too.
     */
    static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

    private static final Pattern VALID = Pattern.compile(PATTERN);

    private InstanceIds() {}

    /** The id, or null when none was sent; a malformed one is refused, naming where it came from. */
    @Nullable
    static String checked(@Nullable String instance, String field) {
        if (instance == null) {
            return null;
        }
        if (!VALID.matcher(instance).matches()) {
            // The text itself is not quoted: a caller may have put anything there.
            throw new ApiException(
                    ErrorCode.INVALID_INSTANCE,
                    "An instance id is 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.",
                    field);
        }
        return instance;
    }
}
