package io.vaultgate.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * One key as -k KEY with -v VALUE or --from-file FILE, or else the KEY=VALUE arguments the command
 * declares itself ({@link ValueOptions} for most; {@code change-set add} after its draft's ID),
 * never both ways at once.
 */
final class SingleValueOptions {

    @Option(
            names = {"-k", "--key"},
            paramLabel = "KEY",
            description = "The key, with -v or --from-file.")
    String key;

    @Option(
            names = {"-v", "--value"},
            paramLabel = "VALUE",
            description = "The value; - reads standard input.")
    String value;

    @Option(
            names = "--from-file",
            paramLabel = "FILE",
            description = "Read the value of -k from FILE (- for standard input).")
    String fromFile;

    boolean given(List<String> pairs) {
        return key != null || value != null || fromFile != null || !pairs.isEmpty();
    }

    /** KEY to value in argument order, reading standard input or a file through {@code command}. */
    Map<String, String> values(GatewayCommand command, List<String> pairs) {
        if (key != null) {
            if (!pairs.isEmpty() || value != null == (fromFile != null)) {
                throw new CliException(
                        ExitCode.USAGE,
                        "Give -k KEY with exactly one of -v VALUE and --from-file FILE, "
                                + "and no KEY=VALUE arguments.");
            }
            return Map.of(
                    key,
                    value == null
                            ? command.readText(fromFile, "--from-file")
                            : value.equals("-") ? command.readStandardInput() : value);
        }
        if (value != null || fromFile != null) {
            throw new CliException(ExitCode.USAGE, "-v and --from-file need -k KEY.");
        }
        return KeyValues.parse(pairs, command::readStandardInput);
    }
}
