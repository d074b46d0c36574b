package io.vaultgate.scope;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.Quoting;
import java.util.regex.Pattern;

/** The one rule for project, environment and service names. */
public final class Slugs {

    /** A slug as a regular expression, for documents that state the rule (the API contract). */
    public static final String PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";

    private static final Pattern SLUG = Pattern.compile(PATTERN);

    private Slugs() {}

    public static boolean isValid(String candidate) {
        return candidate != null && SLUG.matcher(candidate).matches();
    }

    /** @param field what the slug names, e.g. {@code project}, for the error's field */
    public static String require(String field, String candidate) {
        if (!isValid(candidate)) {
            throw new ApiException(
                    ErrorCode.INVALID_SLUG,
                    "A " + field
                            + " name must be 1 to 63 characters of a-z, 0-9 and '-', starting with a letter or digit; got '"
                            + Quoting.shorten(candidate) + "'.",
                    field);
        }
        return candidate;
    }
}
