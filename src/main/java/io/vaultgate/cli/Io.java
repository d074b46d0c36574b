package io.vaultgate.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where a run of the CLI reads and writes, and the environment it reads VAULTGATE_ADDR and
 * VAULTGATE_TOKEN from and {@code run} hands on; a record so tests can run the real command line in-process.
 */
record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {

    /** The process's own streams, in UTF-8 whatever the locale: JSON is UTF-8, and so are key names and paths. */
    static Io system() {
        return new Io(
                System.in,
                new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                System.getenv());
    }
}
