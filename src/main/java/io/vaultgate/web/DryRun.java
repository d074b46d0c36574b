package io.vaultgate.web;

import io.micronaut.http.HttpRequest;
/** {@code ?dryRun=true}, which every write takes: answer what would change, change nothing. */
public final class DryRun {

    private DryRun() {
    }

    public static boolean requested(HttpRequest<?> request) {
        String value = request.getParameters().get("dryRun");
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.isEmpty() || value.equals("true")) {
            return true;
        }
        throw new ApiException(ErrorCode.INVALID_REQUEST, "dryRun is true or false; got '" + Quoting.shorten(value) + "'.",
                "dryRun");
    }
}
