package io.vaultgate.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code -k/--key KEY}: a command's key given as an option rather than as its KEY argument, as
 * the CLIs our users come from take it. The command declares its KEY argument (one, or several
 * for {@code delete}) and asks here which way the key came: exactly one way, so that a key and a
 * stray argument never pass for two keys.
 */
final class KeyOption {

    @Option(
            names = {"-k", "--key"},
            paramLabel = "KEY",
            description = "The key, instead of the KEY argument.")
    String key;

    /** The key, from -k or from the KEY {@code argument} (null when not given). */
    String or(String argument) {
        return or(argument == null ? List.of() : List.of(argument)).get(0);
    }

    /** -k's one key, or the KEY {@code arguments}. */
    List<String> or(List<String> arguments) {
        if (key != null && !arguments.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "A key is given both as -k/--key and as KEY; give it one way.");
        }
        if (key == null && arguments.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "Missing KEY: give it as KEY or as -k KEY.");
        }
        return key != null ? List.of(key) : arguments;
    }
}
