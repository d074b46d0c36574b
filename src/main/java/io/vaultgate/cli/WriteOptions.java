package io.vaultgate.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every write takes: the API's {@code ?dryRun=true}, {@code ?restart=none} and
 * {@code ?changeSet=ID}, which stages the write into a change-set draft instead of applying it.
 */
final class WriteOptions {

    @Option(names = "--dry-run", description = "Change nothing; show what would change and who would restart.")
    boolean dryRun;

    @Option(names = "--no-restart", description = "Apply without restart events (restart=none).")
    boolean noRestart;

    @Option(
            names = "--change-set",
            paramLabel = "ID",
            description = "Stage into this change-set draft instead of applying: nothing changes until its release.")
    String changeSet;

    /** The query string for these options plus {@code more} ("name=value" pairs), "" when none. */
    String query(String... more) {
        List<String> parameters = new ArrayList<>();
        if (changeSet != null) {
            // Both are decided at the release: refused here rather than sent and silently ignored.
            if (dryRun) {
                throw new CliException(
                        ExitCode.USAGE,
                        "--dry-run does not go with --change-set: `vaultgate change-set show` shows a draft's impact.");
            }
            if (noRestart) {
                throw new CliException(
                        ExitCode.USAGE,
                        "--no-restart does not go with --change-set: a draft's restarts are sent at its release.");
            }
            parameters.add("changeSet=" + Gateway.segment(changeSet));
        }
        parameters.addAll(List.of(more));
        if (dryRun) {
            parameters.add("dryRun=true");
        }
        if (noRestart) {
            parameters.add("restart=none");
        }
        return parameters.isEmpty() ? "" : "?" + String.join("&", parameters);
    }

    boolean staging() {
        return changeSet != null;
    }
}
