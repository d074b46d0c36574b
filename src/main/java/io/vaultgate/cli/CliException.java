package io.vaultgate.cli;

/**
 * A failed command: what to tell the user (never a value or a token) and the exit code. With
 * {@code --output json}, {@code json} is printed to stdout so a script can read the problem.
 */
final class CliException extends RuntimeException {

    private final ExitCode exitCode;
    private final String json;

    CliException(ExitCode exitCode, String message) {
        this(exitCode, message, null);
    }

    CliException(ExitCode exitCode, String message, String json) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.json = json;
    }

    ExitCode exitCode() {
        return exitCode;
    }

    String json() {
        return json;
    }
}
