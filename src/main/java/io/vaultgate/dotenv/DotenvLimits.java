package io.vaultgate.dotenv;

/**
 * How far a file may grow as it is read. The parser checks these while it expands references,
 * before each append, so a few lines that copy each other can never build a value (or a file)
 * larger than this: reading stays bounded in memory and in time.
 *
 * @param valueBytes most bytes of UTF-8 one expanded value may hold
 * @param totalBytes most bytes of UTF-8 of all names and expanded values together, counted as
 *                   they are read: a key given twice counts twice, since it is the work of
 *                   reading that this bounds
 * @param keys       most distinct keys a file may define
 */
public record DotenvLimits(int valueBytes, int totalBytes, int keys) {

    /**
     * The limits the gateway applies by default ({@code vaultgate.limits.value-bytes},
     * {@code scope-bytes} and {@code import-keys}): 64 KiB a value, 1 MiB a file, 5,000 keys.
     */
    public static final DotenvLimits DEFAULTS = new DotenvLimits(64 * 1024, 1024 * 1024, 5_000);

    public DotenvLimits {
        if (valueBytes < 1 || totalBytes < 1 || keys < 1) {
            throw new IllegalArgumentException("Every .env limit is 1 or more.");
        }
    }
}
