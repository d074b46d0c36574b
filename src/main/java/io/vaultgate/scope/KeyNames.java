package io.vaultgate.scope;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;

/**
 * The one rule for secret names: a name that can be an environment variable,
 * {@code ^[A-Z_][A-Z0-9_]*$}, at most 256 characters. The API, the .env parser and the CLI all
 * ask here. Plain character checks rather than a regex: the CLI loads this on every call.
 */
public final class KeyNames {

    public static final int MAX_LENGTH = 256;

    /** The rule as a regular expression, for documents that state it (the API contract). */
    public static final String PATTERN = "^[A-Z_][A-Z0-9_]{0,255}$";

    private KeyNames() {}

    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !isDigit(c) && c != '_') {
                return false;
            }
        }
        return true;
    }

    /**
     * The name, if it is one; otherwise 400 {@code invalid-secret-name}. The refused text is not
     * quoted back: what was sent as a name may be a pasted value.
     */
    public static String require(String name) {
        if (!isValid(name)) {
            String why = name != null && name.length() > MAX_LENGTH
                    ? "is longer than " + MAX_LENGTH + " characters"
                    : "must match ^[A-Z_][A-Z0-9_]*$ (upper-case letters, digits and '_', not starting with a digit)";
            throw new ApiException(ErrorCode.INVALID_SECRET_NAME, "The secret name " + why + ".", "key");
        }
        return name;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
