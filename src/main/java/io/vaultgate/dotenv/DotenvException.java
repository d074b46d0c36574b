package io.vaultgate.dotenv;

/**
 * A file that is not valid .env text. The message names the line (and the key or column where
 * that helps) and never quotes a value: a bad line may well be part of a secret.
 */
public final class DotenvException extends RuntimeException {

    private final int line;

    DotenvException(int line, String problem) {
        super("Line " + line + ": " + problem, null, false, false);
        this.line = line;
    }

    /** The 1-based line of the file where the problem is (where a quoted value opened, for an unterminated one). */
    public int line() {
        return line;
    }
}
