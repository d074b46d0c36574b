package io.vaultgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code history}: a key's versions, newest as the gateway orders them. */
@Command(name = "history",
        description = {"Show the versions of a key: when, by whom, in which change-set, and whether its value is "
                + "still kept (rollback needs it)."},
        footerHeading = "%nExample:%n",
        footer = {"  vaultgate history -p shop -e production DATABASE_URL"})
final class HistoryCommand extends GatewayCommand {

    @Mixin
    ScopeOptions scope;

    @Parameters(paramLabel = "KEY", description = "The key.")
    String key;

    @Override
    public Integer call() {
        Json answer = gateway().get(scope.path() + "/secrets/" + Gateway.segment(key) + "/versions").json();
        if (json()) {
            printJson(answer);
            return ExitCode.OK.code();
        }
        int current = answer.path("currentVersion").asInt();
        Table table = new Table("VERSION", "CREATED", "BY", "CHANGE SET", "STATE");
        answer.path("versions").forEach(version -> {
            String state = version.path("deleted").asBoolean() ? "deleted"
                    : !version.path("valueKept").asBoolean(true) ? "value no longer kept"
                    : version.path("version").asInt() == current ? "current" : "kept";
            table.row(version.path("version").asText(), Views.time(version.path("createdAt")),
                    Views.text(version.path("createdBy")), Views.text(version.path("changeSetId")), state);
        });
        table.print(io().out());
        return ExitCode.OK.code();
    }
}
