package io.vaultgate.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code diff}: two environments compared, service by service, as their deployments resolve keys.
 * It exits 0 whenever the comparison is answered, differences or not: two environments are
 * meant to differ (each has its own database URL), so a difference is data, not a failure.
 */
@Command(
        name = "diff",
        sortOptions = false,
        description = {
            "Compare two environments (-e FROM -e TO) service by service: keys only one side resolves, keys "
                    + "resolved from different scopes, and keys both get from the one scope (the same value).",
            "--values also says whether two values are equal, compared by the gateway (project admin; audited). "
                    + "Values are never shown.",
            "Exits 0 when the comparison is answered, even when the environments differ; scripts read "
                    + "--output json (summary.keysOnlyInTo, ...)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vaultgate diff -p shop -e staging -e production",
            "  vaultgate diff -p shop -e staging -e production -s api --values",
            "  vaultgate diff -p shop -e staging -e production -o json | jq '.summary.keysOnlyInFrom'"
        })
final class DiffCommand extends GatewayCommand {

    @Option(
            names = {"-p", "--project"},
            paramLabel = "PROJECT",
            description = "Project slug.")
    String project;

    @Option(
            names = {"-e", "--environment"},
            paramLabel = "ENV",
            description = "An environment: give it twice, FROM then TO.")
    List<String> environments;

    @Option(
            names = {"-s", "--service"},
            paramLabel = "SERVICE",
            description = "Compare this service only.")
    String service;

    @Option(
            names = "--values",
            description = "Also say whether the values of a key both resolve are equal (project admin; audited).")
    boolean values;

    @Override
    public Integer call() {
        if (project == null) {
            throw new CliException(ExitCode.USAGE, "Name the project with -p/--project.");
        }
        if (environments == null || environments.size() != 2) {
            throw new CliException(ExitCode.USAGE, "Name two environments: -e FROM -e TO.");
        }
        String from = environments.get(0);
        String to = environments.get(1);
        String query = "?from=" + Gateway.segment(from) + "&to=" + Gateway.segment(to)
                + (service == null ? "" : "&service=" + Gateway.segment(service))
                + (values ? "&values=true" : "");
        Json answer = gateway()
                .get("/v1/projects/" + Gateway.segment(project) + "/diff" + query)
                .json();
        if (json()) {
            printJson(answer);
        } else {
            table(answer, from, to).print(io().out());
        }
        say(summary(answer, from, to));
        return ExitCode.OK.code();
    }

    private Table table(Json answer, String from, String to) {
        Table table = values
                ? new Table("SERVICE", "KEY", upper(from), upper(to), "DIFFERENCE", "VALUES")
                : new Table("SERVICE", "KEY", upper(from), upper(to), "DIFFERENCE");
        answer.path("services").forEach(service -> {
            String name = service.path("service").asText();
            String deployedIn = service.path("deployedIn").asText();
            if (!deployedIn.equals("both")) {
                boolean inFrom = deployedIn.equals("from");
                row(
                        table,
                        name,
                        "-",
                        inFrom ? "deployed" : "-",
                        inFrom ? "-" : "deployed",
                        "deployed only in " + (inFrom ? from : to),
                        "-");
                return;
            }
            service.path("keys")
                    .forEach(key -> row(
                            table,
                            name,
                            key.path("key").asText(),
                            source(key.path("fromSource")),
                            source(key.path("toSource")),
                            difference(key, from, to),
                            equality(key.path("equal"))));
        });
        return table;
    }

    private void row(Table table, String... cells) {
        table.row(values ? cells : Arrays.copyOf(cells, cells.length - 1));
    }

    private static String source(Json source) {
        return source.isMissingOrNull()
                ? "-"
                : Views.scopeLabel(source.path("scope").asText());
    }

    private static String difference(Json key, String from, String to) {
        String onlyIn =
                key.path("onlyIn").isMissingOrNull() ? null : key.path("onlyIn").asText();
        if (onlyIn != null) {
            return "only in " + (onlyIn.equals("from") ? from : to);
        }
        if (key.path("sameSource").asBoolean()) {
            return "same source";
        }
        boolean sameKind = key.path("fromSource")
                .path("scopeKind")
                .asText()
                .equals(key.path("toSource").path("scopeKind").asText());
        return sameKind ? "different scopes" : "different scope kinds";
    }

    private static String equality(Json equal) {
        if (equal.isMissingOrNull()) {
            return "-";
        }
        return equal.asBoolean() ? "equal" : "differ";
    }

    private static String summary(Json answer, String from, String to) {
        Json summary = answer.path("summary");
        String unequal = summary.path("keysUnequal").isMissingOrNull()
                ? ""
                : ", " + summary.path("keysUnequal").asInt() + " of them with different values";
        return from + " (" + answer.path("from").path("environmentType").asText() + ") vs " + to + " ("
                + answer.path("to").path("environmentType").asText() + "): "
                + summary.path("servicesInBoth").asInt() + " service(s) in both, "
                + summary.path("keysOnlyInFrom").asInt() + " key(s) only in " + from + ", "
                + summary.path("keysOnlyInTo").asInt() + " only in " + to + ", "
                + summary.path("keysFromDifferentSources").asInt() + " from different scopes" + unequal + ", "
                + summary.path("keysFromSameSource").asInt() + " from the same scope; "
                + summary.path("servicesOnlyInFrom").asInt() + " service(s) only in " + from + ", "
                + summary.path("servicesOnlyInTo").asInt() + " only in " + to + ".";
    }

    private static String upper(String environment) {
        return environment.toUpperCase(Locale.ROOT);
    }
}
