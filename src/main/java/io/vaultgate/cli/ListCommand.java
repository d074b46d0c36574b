package io.vaultgate.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code list}: the names and metadata of a scope's secrets, or of a deployment's resolved keys. Never values. */
@Command(
        name = "list",
        sortOptions = false,
        description = {
            "List the keys of a scope: KEY, VERSION, UPDATED, LAST ACCESSED, USAGE. Values are never shown.",
            "--resolved lists what a deployment (-p -e -s) gets, with the SOURCE scope of each key and the "
                    + "scopes it OVERRIDES."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vaultgate list -p shop",
            "  vaultgate list -p shop -t production",
            "  vaultgate list -p shop -e production -s api --resolved",
            "  vaultgate list -p shop -o json | jq -r '.secrets[].key'"
        })
final class ListCommand extends GatewayCommand {

    @Mixin
    ScopeOptions scope;

    @Option(names = "--resolved", description = "The keys a deployment resolves (needs -p -e -s), with their source.")
    boolean resolved;

    @Override
    public Integer call() {
        if (resolved) {
            Json answer = gateway()
                    .get(scope.deploymentPath("list --resolved") + "/resolved")
                    .json();
            if (json()) {
                printJson(answer);
                return ExitCode.OK.code();
            }
            Table table = new Table("KEY", "SOURCE", "VERSION", "UPDATED", "OVERRIDES");
            answer.path("keys").forEach(key -> {
                Json source = key.path("source");
                List<String> overrides = new ArrayList<>();
                key.path("overrides")
                        .forEach(o ->
                                overrides.add(Views.scopeLabel(o.path("scope").asText())));
                table.row(
                        key.path("key").asText(),
                        Views.scopeLabel(source.path("scope").asText()),
                        Views.text(source.path("version")),
                        Views.time(source.path("updatedAt")),
                        String.join(",", overrides));
            });
            table.print(io().out());
            return ExitCode.OK.code();
        }
        Json answer = gateway().get(scope.path() + "/secrets").json();
        if (json()) {
            printJson(answer);
            return ExitCode.OK.code();
        }
        Table table = new Table("KEY", "VERSION", "UPDATED", "LAST ACCESSED", "USAGE");
        answer.path("secrets")
                .forEach(secret -> table.row(
                        secret.path("key").asText(),
                        Views.text(secret.path("version")),
                        Views.time(secret.path("updatedAt")),
                        Views.time(secret.path("lastAccessedAt")),
                        Views.text(secret.path("usage"))));
        table.print(io().out());
        return ExitCode.OK.code();
    }
}
