package io.vaultgate.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every write takes: the API's {@code ?dryRun=true} and {@code ?restart=none}. */
final class WriteOptions {

    @Option(names = "--dry-run", description = "Change nothing; show what would change and who would restart.")
    boolean dryRun;

    @Option(names = "--no-restart", description = "Apply without restart events (restart=none).")
    boolean noRestart;

    /** The query string for these options plus {@code more} ("name=value" pairs), "" when none. */
    String query(String... more) {
        List<String> parameters = new ArrayList<>(List.of(more));
        if (dryRun) {
            parameters.add("dryRun=true");
        }
        if (noRestart) {
            parameters.add("restart=none");
        }
        return parameters.isEmpty() ? "" : "?" + String.join("&", parameters);
    }
}
