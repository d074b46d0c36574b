package io.vaultgate.web;

import io.micronaut.http.HttpRequest;
import java.util.List;

/**
 * The query flags every write takes, read by one rule: {@code dryRun} and {@code force} are
 * {@code true} or {@code false} (a bare {@code ?dryRun} is true), {@code restart} is
 * {@code events} (the default) or {@code none}. Anything else answers 400 {@code invalid-request}
 * naming the flag: a misspelt {@code dryRun=ture} must never run as a real write. Routes bind the
 * flags as a {@link WriteQuery}, which lists them in the API contract.
 *
 * @param dryRun  answer what would change and who would restart; change nothing
 * @param force   delete a key even when a deployment requires it
 * @param restart whether the write emits restart events
 */
public record WriteFlags(boolean dryRun, boolean force, RestartMode restart) {

    /**
     * The flags of a request, for filters, which see it before any route binds it. A flag sent twice
     * is refused here, so that a filter and the route can never read different values of it.
     */
    public static WriteFlags of(HttpRequest<?> request) {
        return parse(only(request, "dryRun"), only(request, "force"), only(request, "restart"));
    }

    private static String only(HttpRequest<?> request, String name) {
        List<String> values = request.getParameters().getAll(name);
        if (values.size() > 1) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, name + " is given " + values.size() + " times.", name);
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** The flags as sent; each null when absent. */
    public static WriteFlags parse(String dryRun, String force, String restart) {
        return new WriteFlags(flag("dryRun", dryRun), flag("force", force), restart(restart));
    }

    /**
     * A boolean query flag by the one rule: {@code true} or {@code false}, a bare flag is true, absent
     * is false; anything else is 400 {@code invalid-request} naming the flag.
     */
    public static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.isEmpty() || value.equals("true")) {
            return true;
        }
        throw new ApiException(
                ErrorCode.INVALID_REQUEST, name + " is true or false; got '" + Quoting.shorten(value) + "'.", name);
    }

    private static RestartMode restart(String value) {
        if (value == null) {
            return RestartMode.EVENTS;
        }
        return WireNames.parse(RestartMode.class, value)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.INVALID_REQUEST,
                        "restart is 'events' (the default) or 'none'; got '" + Quoting.shorten(value) + "'.",
                        "restart"));
    }
}
