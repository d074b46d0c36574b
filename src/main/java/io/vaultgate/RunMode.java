package io.vaultgate;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import java.util.Set;

/**
 * The gateway runs in exactly one mode, and only when asked: {@code MICRONAUT_ENVIRONMENTS=production}
 * (Vault + MySQL) or {@code MICRONAUT_ENVIRONMENTS=dev} (local files, as {@code scripts/dev.sh} starts
 * it). With neither, or both, it refuses to start, so a production host that lost its environment
 * variable never falls silently into dev mode. The first bean created, before any datasource or
 * store touches anything.
 *
 * <p>Beans choose their mode by {@code vaultgate.mode}, which the environment's file sets; a
 * {@code VAULTGATE_MODE} that contradicts the environment is refused too.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE)
final class RunMode {

    static final String DEV = "dev";
    static final String PRODUCTION = "production";
    static final String MODE_PROPERTY = "vaultgate.mode";
    private static final String HOW_TO_CHOOSE = "set MICRONAUT_ENVIRONMENTS=production (Vault + MySQL) or "
            + "MICRONAUT_ENVIRONMENTS=dev (local files, this machine only; scripts/dev.sh does)";

    RunMode(Environment environment) {
        check(
                environment.getActiveNames(),
                environment.getProperty(MODE_PROPERTY, String.class).orElse(null));
    }

    /** The chosen mode, or a refusal in one line that says how to choose. */
    static String check(Set<String> environments, @Nullable String modeProperty) {
        boolean dev = environments.contains(DEV);
        boolean production = environments.contains(PRODUCTION);
        if (dev && production) {
            throw new Refused("Vaultgate runs in one mode, not both dev and production: " + HOW_TO_CHOOSE + ".");
        }
        if (!dev && !production) {
            throw new Refused("Vaultgate needs a mode: " + HOW_TO_CHOOSE + ".");
        }
        String chosen = dev ? DEV : PRODUCTION;
        if (!chosen.equals(modeProperty)) {
            throw new Refused(MODE_PROPERTY + " (VAULTGATE_MODE) is '" + modeProperty + "' but the environment chose "
                    + chosen + "; unset it: MICRONAUT_ENVIRONMENTS alone chooses the mode.");
        }
        return chosen;
    }

    /**
     * The exit code of a failed start; a refused mode is told in its one line on stderr, without
     * the stack trace Micronaut would log after it, since the line is all there is to say.
     */
    static int exitCode(Throwable startupFailure) {
        for (Throwable cause = startupFailure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Refused refused) {
                System.err.println(refused.getMessage());
                System.exit(2);
            }
        }
        return 1;
    }

    /** Why the gateway will not start in the mode (or lack of one) it was given. */
    static final class Refused extends ConfigurationException {
        Refused(String message) {
            super(message);
        }
    }
}
