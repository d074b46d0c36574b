package io.vaultgate.dotenv;

/**
 * A file that is not valid .env text, or that grows past its {@link DotenvLimits} as it is read.
 * The message names the line (and the key or column where that helps) and never quotes a value:
 * a bad line may well be part of a secret.
 */
public final class DotenvException extends RuntimeException {

    /** Which rule the file broke, so that a caller can answer each with its own code. */
    public enum Kind {
        /** Not .env syntax, or a reference that cannot be resolved. */
        INVALID,
        /** A value grows past {@link DotenvLimits#valueBytes()}. */
        VALUE_TOO_LARGE,
        /** The names and values grow past {@link DotenvLimits#totalBytes()}. */
        TOTAL_TOO_LARGE,
        /** More keys than {@link DotenvLimits#keys()}. */
        TOO_MANY_KEYS
    }

    private final int line;
    private final Kind kind;

    DotenvException(int line, String problem) {
        this(line, Kind.INVALID, problem);
    }

    DotenvException(int line, Kind kind, String problem) {
        super("Line " + line + ": " + problem, null, false, false);
        this.line = line;
        this.kind = kind;
    }

    /** The 1-based line of the file where the problem is (where a quoted value opened, for an unterminated one). */
    public int line() {
        return line;
    }

    public Kind kind() {
        return kind;
    }
}
