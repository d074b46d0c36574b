package io.vaultgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code history}: a key's versions, newest as the gateway orders them. */
@Command(
        name = "history",
        description = {
            "Show the versions of a key: when, by whom, in which change-set, and whether its value is "
                    + "still kept (rollback needs it)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vaultgate history -p shop -e production DATABASE_URL",
            "  vaultgate history -p shop -e production -k DATABASE_URL -o json"
        })
final class HistoryCommand extends GatewayCommand {

    @Mixin
    ScopeOptions scope;

    @Parameters(paramLabel = "KEY", arity = "0..1", description = "The key (or -k KEY).")
    String key;

    @Mixin
    KeyOption keyOption;

    @Override
    public Integer call() {
        Json answer = gateway()
                .get(scope.path() + "/secrets/" + Gateway.segment(keyOption.or(key)) + "/versions")
                .json();
        if (json()) {
            printJson(answer);
            return ExitCode.OK.code();
        }
        int current = answer.path("currentVersion").asInt();
        Table table = new Table("VERSION", "CREATED", "BY", "CHANGE SET", "STATE");
        answer.path("versions").forEach(version -> {
            String state = version.path("deleted").asBoolean()
                    ? "deleted"
                    : !version.path("valueKept").asBoolean(true)
                            ? "value no longer kept"
                            : version.path("version").asInt() == current ? "current" : "kept";
            table.row(
                    version.path("version").asText(),
                    Views.time(version.path("createdAt")),
                    Views.text(version.path("createdBy")),
                    Views.text(version.path("changeSetId")),
                    state);
        });
        table.print(io().out());
        return ExitCode.OK.code();
    }
}
