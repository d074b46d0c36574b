package io.vaultgate.cli;

import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rollout status}: whether every live instance of a project runs its deployment's current revision. */
@Command(
        name = "rollout",
        description = "Where a change stands: which revision each live instance of a deployment booted with.",
        subcommands = RolloutCommand.Status.class,
        footerHeading = "%nExample:%n",
        footer = {"  vaultgate rollout status -p shop -e production --wait 10m"})
final class RolloutCommand {

    @Command(
            name = "status",
            sortOptions = false,
            description = {
                "Per deployment, its current revision and the revisions its live instances booted with "
                        + "(GET /v1/projects/{p}/rollout). An instance is live when it fetched, polled (run --watch) "
                        + "or reported a fallback boot within the gateway's live window.",
                "Exits 0 when no live instance runs an older revision, 8 when one still does after --wait."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  vaultgate rollout status -p shop",
                "  vaultgate rollout status -p shop -e production --wait 10m || exit 1"
            })
    static final class Status extends GatewayCommand {

        private static final Duration MAX_WAIT = Duration.ofHours(24);

        @Option(
                names = {"-p", "--project"},
                required = true,
                paramLabel = "PROJECT",
                description = "Project slug.")
        String project;

        @Option(
                names = {"-e", "--environment"},
                paramLabel = "ENV",
                description = "Only this environment's deployments.")
        String environment;

        @Option(
                names = "--wait",
                paramLabel = "DURATION",
                description = "Poll until nothing is stale, for at most this long (e.g. 90s, 10m; at most 24h). "
                        + "Default: answer at once.")
        String wait;

        @Option(
                names = "--interval",
                paramLabel = "DURATION",
                description = "Time between two polls while waiting (1s to 60s, default 2s).")
        String interval;

        @Override
        public Integer call() {
            Duration waitFor =
                    wait == null ? Duration.ZERO : Durations.between(wait, "--wait", Duration.ZERO, MAX_WAIT);
            Duration pause = interval == null
                    ? Duration.ofSeconds(2)
                    : Durations.between(interval, "--interval", Duration.ofSeconds(1), Duration.ofSeconds(60));
            String path = "/v1/projects/" + Gateway.segment(project) + "/rollout"
                    + (environment == null ? "" : "?environment=" + Gateway.segment(environment));
            Instant deadline = Instant.now().plus(waitFor);
            Json answer = gateway().get(path).json();
            while (answer.path("stale").asBoolean() && Instant.now().plus(pause).isBefore(deadline)) {
                sleep(pause);
                answer = gateway().get(path).json();
            }
            if (json()) {
                printJson(answer);
            } else {
                table(answer).print(io().out());
            }
            int staleDeployments = 0;
            for (Json deployment : answer.path("deployments")) {
                if (deployment.path("stale").asBoolean()) {
                    staleDeployments++;
                }
            }
            if (staleDeployments == 0) {
                say("Every live instance runs its deployment's current revision.");
                return ExitCode.OK.code();
            }
            say(staleDeployments + " deployment(s) still have live instances on an older revision"
                    + (wait == null ? "." : " after waiting " + wait + "."));
            return ExitCode.STALE.code();
        }

        private static Table table(Json answer) {
            Table table = new Table(
                    "ENVIRONMENT", "SERVICE", "CURRENT", "INSTANCE", "REVISION", "BOOTED", "LAST SEEN", "STATUS");
            for (Json deployment : answer.path("deployments")) {
                String current = shortRevision(deployment.path("revision").asText());
                if (deployment.path("instances").size() == 0) {
                    table.row(
                            deployment.path("environment").asText(),
                            deployment.path("service").asText(),
                            current,
                            "",
                            "",
                            "",
                            "",
                            "no live instance");
                }
                for (Json instance : deployment.path("instances")) {
                    String name = instance.hasNonNull("instance")
                            ? instance.path("instance").asText()
                            : "token " + instance.path("tokenAccessor").asText();
                    String status = instance.path("current").asBoolean() ? "current" : "stale";
                    if (instance.path("fromFallback").asBoolean()) {
                        status += " (fallback)";
                    }
                    table.row(
                            deployment.path("environment").asText(),
                            deployment.path("service").asText(),
                            current,
                            name,
                            shortRevision(instance.path("revision").asText()),
                            instance.path("bootedAt").asText(),
                            instance.path("lastSeenAt").asText(),
                            status);
                }
            }
            return table;
        }

        /** Twelve hex digits tell revisions apart for a person; --output json has them whole. */
        private static String shortRevision(String revision) {
            return revision.length() > 12 ? revision.substring(0, 12) : revision;
        }

        private static void sleep(Duration pause) {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCode.ERROR, "Interrupted while waiting.");
            }
        }
    }
}
