package io.vaultgate.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hooks}: the restart webhooks of a project and their delivery log. */
@Command(
        name = "hooks",
        description = "Register, list and remove restart webhooks; inspect and redo deliveries.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vaultgate hooks add -p shop --url https://deploy.internal/hooks/vaultgate -e production",
            "  vaultgate hooks deliveries -p shop hk_2f9a",
            "  vaultgate hooks networks set -p shop 10.0.0.0/8 deploy.internal"
        },
        subcommands = {
            HooksCommand.Add.class,
            HooksCommand.ListHooks.class,
            HooksCommand.Remove.class,
            HooksCommand.Deliveries.class,
            HooksCommand.Redeliver.class,
            HooksCommand.Networks.class
        })
final class HooksCommand {

    /** A hook belongs to a project; its own -e filters environments rather than picking a scope. */
    abstract static class ProjectCommand extends GatewayCommand {

        @Option(
                names = {"-p", "--project"},
                required = true,
                paramLabel = "PROJECT",
                description = "Project slug.")
        String project;

        String hooksPath() {
            return "/v1/projects/" + Gateway.segment(project) + "/hooks";
        }

        String networksPath() {
            return "/v1/projects/" + Gateway.segment(project) + "/hook-networks";
        }

        void printNetworks(Json answer) {
            if (json()) {
                printJson(answer);
                return;
            }
            Table table = new Table("NETWORK");
            answer.path("allowedPrivate").forEach(entry -> table.row(entry.asText()));
            table.print(io().out());
        }
    }

    @Command(
            name = "add",
            sortOptions = false,
            description = {
                "Register a webhook that receives signed restart events (Standard Webhooks).",
                "Prints the hook's signing secret once: store it where the receiver verifies signatures."
            },
            footerHeading = "%nExample:%n",
            footer = {
                "  vaultgate hooks add -p shop --url https://deploy.internal/hooks/vaultgate -e production -e staging"
            })
    static final class Add extends ProjectCommand {

        @Option(names = "--url", required = true, paramLabel = "URL", description = "Where to POST events.")
        String url;

        @Option(
                names = {"-e", "--environment"},
                paramLabel = "ENV",
                description = "Only events of this environment (repeat for several; default: all).")
        List<String> environments = List.of();

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("url", url);
            body.put("environments", environments);
            Json answer = gateway()
                    .write("POST", hooksPath(), "application/json", Json.write(body))
                    .json();
            if (json()) {
                printJson(answer);
            } else {
                new Table("ID", "URL", "ENVIRONMENTS", "SIGNING SECRET")
                        .row(
                                answer.path("id").asText(),
                                answer.path("url").asText(),
                                environments(answer),
                                answer.path("secret").asText())
                        .print(io().out());
                say("The signing secret is shown this once.");
            }
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "list",
            description = "List a project's webhooks.",
            footerHeading = "%nExample:%n",
            footer = {"  vaultgate hooks list -p shop"})
    static final class ListHooks extends ProjectCommand {

        @Override
        public Integer call() {
            Json answer = gateway().get(hooksPath()).json();
            if (json()) {
                printJson(answer);
                return ExitCode.OK.code();
            }
            Table table = new Table("ID", "URL", "ENVIRONMENTS", "STATE", "CREATED");
            answer.forEach(hook -> table.row(
                    hook.path("id").asText(),
                    hook.path("url").asText(),
                    environments(hook),
                    hook.path("enabled").asBoolean(true)
                            ? "enabled"
                            : "disabled: " + hook.path("disabledReason").asText("-"),
                    Views.time(hook.path("createdAt"))));
            table.print(io().out());
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "remove",
            description = "Remove a webhook.",
            footerHeading = "%nExample:%n",
            footer = {"  vaultgate hooks remove -p shop hk_2f9a"})
    static final class Remove extends ProjectCommand {

        @Parameters(paramLabel = "HOOK", description = "The hook's id.")
        String hook;

        @Override
        public Integer call() {
            gateway().write("DELETE", hooksPath() + "/" + Gateway.segment(hook), null, null);
            if (json()) {
                print(Json.write(Map.of("id", hook, "removed", true)));
            } else {
                new Table("ID", "STATE").row(hook, "removed").print(io().out());
            }
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "deliveries",
            description = "Show a webhook's deliveries, newest first: status, attempts, last error.",
            footerHeading = "%nExample:%n",
            footer = {"  vaultgate hooks deliveries -p shop hk_2f9a --limit 20"})
    static final class Deliveries extends ProjectCommand {

        @Parameters(paramLabel = "HOOK", description = "The hook's id.")
        String hook;

        @Option(names = "--limit", paramLabel = "N", description = "At most N deliveries (gateway default: 100).")
        Integer limit;

        @Override
        public Integer call() {
            Json answer = gateway()
                    .get(hooksPath() + "/" + Gateway.segment(hook) + "/deliveries"
                            + (limit == null ? "" : "?limit=" + limit))
                    .json();
            if (json()) {
                printJson(answer);
                return ExitCode.OK.code();
            }
            Table table = new Table(
                    "DELIVERY", "ENVIRONMENT", "SERVICE", "KEYS", "STATUS", "ATTEMPTS", "LAST ERROR", "CREATED");
            answer.forEach(d -> table.row(
                    d.path("id").asText(),
                    Views.text(d.path("environment")),
                    Views.text(d.path("service")),
                    Views.joined(d.path("keys")),
                    d.path("status").asText(),
                    d.path("attempts").asText(),
                    lastError(d),
                    Views.time(d.path("createdAt"))));
            table.print(io().out());
            return ExitCode.OK.code();
        }

        private static String lastError(Json delivery) {
            if (delivery.hasNonNull("lastError")) {
                return delivery.path("lastError").asText();
            }
            return delivery.hasNonNull("lastStatusCode")
                    ? "HTTP " + delivery.path("lastStatusCode").asText()
                    : "-";
        }
    }

    @Command(
            name = "redeliver",
            description = "Deliver an event to a webhook again (after fixing the receiver, say).",
            footerHeading = "%nExample:%n",
            footer = {"  vaultgate hooks redeliver -p shop hk_2f9a dl_81c0"})
    static final class Redeliver extends ProjectCommand {

        @Parameters(index = "0", paramLabel = "HOOK", description = "The hook's id.")
        String hook;

        @Parameters(index = "1", paramLabel = "DELIVERY", description = "The delivery's id.")
        String delivery;

        @Override
        public Integer call() {
            Json answer = gateway()
                    .write(
                            "POST",
                            hooksPath() + "/" + Gateway.segment(hook) + "/deliveries/" + Gateway.segment(delivery)
                                    + "/redeliver",
                            null,
                            null)
                    .json();
            if (json()) {
                printJson(answer);
            } else {
                new Table("DELIVERY", "STATUS")
                        .row(
                                answer.path("id").asText(delivery),
                                answer.path("status").asText())
                        .print(io().out());
            }
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "networks",
            description = {
                "The private networks a project's hooks may reach.",
                "Public addresses need no entry; cloud metadata, link-local and other special ranges are never reachable."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  vaultgate hooks networks set -p shop 10.0.0.0/8 deploy.internal",
                "  vaultgate hooks networks show -p shop"
            },
            subcommands = {HooksCommand.SetNetworks.class, HooksCommand.ShowNetworks.class})
    static final class Networks {}

    @Command(
            name = "set",
            description = {
                "Replace a project's hook networks (admin token only).",
                "NETWORK is a CIDR (10.0.0.0/8), an address or a host name (deploy.internal): a hook may reach the",
                "private addresses inside a listed network, or those a listed host resolves to. No NETWORK: none."
            },
            footerHeading = "%nExample:%n",
            footer = {"  vaultgate hooks networks set -p shop 10.0.0.0/8 deploy.internal"})
    static final class SetNetworks extends ProjectCommand {

        @Parameters(arity = "0..*", paramLabel = "NETWORK", description = "A CIDR, an address or a host name.")
        List<String> networks = List.of();

        @Override
        public Integer call() {
            Json answer = gateway()
                    .write("PUT", networksPath(), "application/json", Json.write(Map.of("allowedPrivate", networks)))
                    .json();
            printNetworks(answer);
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "show",
            description = "Show a project's hook networks.",
            footerHeading = "%nExample:%n",
            footer = {"  vaultgate hooks networks show -p shop"})
    static final class ShowNetworks extends ProjectCommand {

        @Override
        public Integer call() {
            printNetworks(gateway().get(networksPath()).json());
            return ExitCode.OK.code();
        }
    }

    private static String environments(Json hook) {
        String listed = Views.joined(hook.path("environments"));
        return listed.isEmpty() ? "all" : listed;
    }
}
