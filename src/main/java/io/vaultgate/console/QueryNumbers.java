package io.vaultgate.console;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.Quoting;

/** Whole numbers typed into a console form or a page's query, refused with the API's problem when not. */
final class QueryNumbers {

    private QueryNumbers() {}

    /** {@code text} as a number from {@code min} to {@code max}; {@code fallback} when blank. */
    static long parse(String field, String text, long fallback, long min, long max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, as an out-of-range number is
        }
        throw new ApiException(
                ErrorCode.INVALID_REQUEST,
                field + " is a whole number from " + min + " to " + max + "; got '" + Quoting.shorten(text) + "'.",
                field);
    }

    /** A blank number as null, so the service applies its own default. */
    static Integer optional(String field, String text, int min, int max) {
        return text == null || text.isBlank() ? null : (int) parse(field, text, 0, min, max);
    }
}
