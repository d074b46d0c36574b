package io.vaultgate.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The values {@code set} writes and {@code impact} weighs, taken the same way by both: KEY=VALUE
 * arguments, or one key as -k KEY with -v VALUE or --from-file FILE, never both ways at once.
 */
final class ValueOptions {

    @Parameters(
            paramLabel = "KEY=VALUE",
            arity = "0..*",
            description = "A key and its value; VALUE - reads standard input.")
    List<String> pairs = List.of();

    @Mixin
    SingleValueOptions single;

    boolean given() {
        return single.given(pairs);
    }

    /** KEY to value in argument order, reading standard input or a file through {@code command}. */
    Map<String, String> values(GatewayCommand command) {
        return single.values(command, pairs);
    }
}
