package io.vaultgate.cli;

import io.vaultgate.scope.KeyNames;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code KEY=VALUE} arguments, as {@code set} and {@code impact} take them. */
final class KeyValues {

    private KeyValues() {}

    /**
     * @param stdin reads standard input, for the one VALUE that may be {@code -}
     * @return KEY to value in argument order
     */
    static Map<String, String> parse(List<String> pairs, Supplier<String> stdin) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> argumentOf = new HashMap<>();
        boolean stdinRead = false;
        for (int i = 0; i < pairs.size(); i++) {
            String pair = pairs.get(i);
            int equals = pair.indexOf('=');
            if (equals < 1) {
                // Not quoted back: without its '=' the argument may be a bare value.
                throw new CliException(ExitCode.USAGE, "Argument " + (i + 1) + " is not KEY=VALUE.");
            }
            String key = pair.substring(0, equals);
            if (!KeyNames.isValid(key)) {
                // Not quoted back either: a value holding '=' splits into a "name" that is part of it.
                // Exit 1, as when the gateway refuses a name.
                throw new CliException(
                        ExitCode.ERROR,
                        "Argument " + (i + 1) + ": the part before '=' is not a secret "
                                + "name (^[A-Z_][A-Z0-9_]*$, at most " + KeyNames.MAX_LENGTH + " characters).");
            }
            String value = pair.substring(equals + 1);
            if (value.equals("-")) {
                if (stdinRead) {
                    throw new CliException(ExitCode.USAGE, "Only one value can come from standard input.");
                }
                stdinRead = true;
                value = stdin.get();
            }
            Integer earlier = argumentOf.putIfAbsent(key, i + 1);
            if (earlier != null) {
                // By position: what passes for a name may be the start of a value that holds '='.
                throw new CliException(
                        ExitCode.USAGE, "Arguments " + earlier + " and " + (i + 1) + " set the same key.");
            }
            values.put(key, value);
        }
        return values;
    }
}
