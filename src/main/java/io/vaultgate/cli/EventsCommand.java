package io.vaultgate.cli;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code events tail}: the restart feed, for deploy systems that poll rather than receive webhooks. */
@Command(
        name = "events",
        description = "Read restart events.",
        subcommands = EventsCommand.Tail.class,
        footerHeading = "%nExample:%n",
        footer = {"  vaultgate events tail -p shop -o json"})
final class EventsCommand {

    @Command(
            name = "tail",
            sortOptions = false,
            description = {
                "Follow a project's restart events: long-polls GET /v1/events from a cursor and prints "
                        + "each event as it seals, until interrupted.",
                "With -o json: one JSON object per line (JSON Lines), each with its cursor."
            },
            footerHeading = "%nExamples:%n",
            footer = {"  vaultgate events tail -p shop", "  vaultgate events tail -p shop --after 1234 --once -o json"})
    static final class Tail extends GatewayCommand {

        @Option(
                names = {"-p", "--project"},
                required = true,
                paramLabel = "PROJECT",
                description = "Project slug.")
        String project;

        @Option(
                names = "--after",
                paramLabel = "CURSOR",
                description = "Start after this cursor (default 0: from the oldest kept).")
        long after;

        @Option(
                names = "--wait",
                paramLabel = "SECONDS",
                description = "Long-poll up to this long per request (default 30).")
        int wait = 30;

        @Option(names = "--once", description = "One request: print what is there (waiting up to --wait) and exit.")
        boolean once;

        @Override
        public Integer call() {
            long cursor = after;
            boolean header = !json();
            do {
                Json feed = gateway()
                        .get(
                                "/v1/events?project=" + Gateway.segment(project) + "&after=" + cursor + "&wait=" + wait,
                                Duration.ofSeconds(wait + 30L))
                        .json();
                Table table = new Table("CURSOR", "EVENT", "ENVIRONMENT", "SERVICE", "KEYS", "REASON", "CREATED");
                for (Json event : feed.path("events")) {
                    if (json()) {
                        printJson(event);
                    } else {
                        table.row(
                                event.path("cursor").asText(),
                                event.path("id").asText(),
                                event.path("environment").asText(),
                                event.path("service").asText(),
                                Views.joined(event.path("keys")),
                                Views.text(event.path("reason")),
                                Views.time(event.path("createdAt")));
                    }
                }
                if (header || !table.isEmpty()) {
                    table.print(io().out(), header);
                    header = false;
                }
                cursor = feed.path("next").asLong(cursor);
            } while (!once);
            say("Next cursor: " + cursor);
            return ExitCode.OK.code();
        }
    }
}
