package io.vaultgate.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delete}: one DELETE per key, in order, stopping at the first refusal. */
@Command(
        name = "delete",
        sortOptions = false,
        description = {
            "Delete secrets from a scope (a soft delete: the history stays).",
            "A key that a service requires and would then miss is refused unless --force."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vaultgate delete -p shop -e staging OLD_FLAG",
            "  vaultgate delete -p shop -s api LEGACY_TOKEN --force",
            "  vaultgate delete -p shop -e staging -k OLD_FLAG --expected-version 4"
        })
final class DeleteCommand extends GatewayCommand {

    @Mixin
    ScopeOptions scope;

    @Parameters(
            paramLabel = "KEY",
            arity = "0..*",
            description = "Keys to delete, each its own change-set (or one as -k KEY).")
    List<String> arguments = List.of();

    @Mixin
    KeyOption keyOption;

    @Option(names = "--force", description = "Delete even if a service requires the key and would miss it.")
    boolean force;

    @Option(
            names = "--expected-version",
            paramLabel = "N",
            description = "Delete only if the key is at version N now. One key only.")
    Integer expectedVersion;

    @Mixin
    WriteOptions write;

    @Override
    public Integer call() {
        String path = scope.path();
        List<String> keys = keyOption.or(arguments);
        if (expectedVersion != null && keys.size() > 1) {
            throw new CliException(
                    ExitCode.USAGE, "--expected-version goes with one key; this deletes " + keys.size() + ".");
        }
        List<String> parameters = new ArrayList<>();
        if (force) {
            parameters.add("force=true");
        }
        if (expectedVersion != null) {
            parameters.add("expectedVersion=" + expectedVersion);
        }
        List<Json> results = new ArrayList<>();
        for (String key : keys) {
            Gateway.Answer answer = gateway()
                    .write(
                            "DELETE",
                            path + "/secrets/" + Gateway.segment(key) + write.query(parameters.toArray(String[]::new)),
                            null,
                            null);
            // 204 for a delete; a dry run answers what it would do, staging the draft it went into.
            Json result = answer.body() == null || answer.body().isBlank() ? deleted(key, path) : answer.json();
            results.add(result);
        }
        if (json()) {
            print(Json.write(results));
        } else if (write.staging()) {
            Views.staged(io().out(), results);
            say(Views.stagedSummary(results.get(results.size() - 1)));
        } else {
            Table table = new Table("KEY", "OPERATION", "VERSION", "CHANGE SET");
            for (int i = 0; i < keys.size(); i++) {
                Json result = results.get(i);
                table.row(
                        keys.get(i),
                        result.path("operation").asText("delete"),
                        Views.text(result.path("version")),
                        Views.text(result.path("changeSetId")));
            }
            table.print(io().out());
            results.forEach(result -> Views.restarts(io().out(), result));
        }
        return ExitCode.OK.code();
    }

    private static Json deleted(String key, String scope) {
        return Json.read(Json.write(Map.of("key", key, "scope", scope, "operation", "delete")));
    }
}
