package io.vaultgate.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code impact}: who would restart if this write were made. It is the write itself with
 * {@code ?dryRun=true}, so the answer comes from the same code that would apply it.
 */
@Command(
        name = "impact",
        sortOptions = false,
        description = {
            "Show which deployments would restart, and for which keys, if a set, import or delete were "
                    + "made. Changes nothing."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vaultgate impact -p shop LOG_LEVEL=debug",
            "  vaultgate impact -p shop -e production -k TLS_CERT --from-file cert.pem",
            "  vaultgate impact -p shop -e production -f .env.production",
            "  vaultgate impact -p shop -s api --delete LEGACY_TOKEN"
        })
final class ImpactCommand extends GatewayCommand {

    @Mixin
    ScopeOptions scope;

    @Mixin
    ValueOptions input;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "A .env file that would be imported (- for standard input).")
    String file;

    @Option(names = "--delete", paramLabel = "KEY", description = "A key that would be deleted.")
    String delete;

    @Override
    public Integer call() {
        String path = scope.path();
        int inputs = (input.given() ? 1 : 0) + (file == null ? 0 : 1) + (delete == null ? 0 : 1);
        if (inputs != 1) {
            throw new CliException(
                    ExitCode.USAGE, "Give one of: KEY=VALUE..., -k KEY -v VALUE, -f FILE, --delete KEY.");
        }
        Gateway.Answer answer;
        if (delete != null) {
            answer = gateway()
                    .write("DELETE", path + "/secrets/" + Gateway.segment(delete) + "?dryRun=true", null, null);
        } else if (file != null) {
            answer = gateway()
                    .write("POST", path + "/import?dryRun=true", "text/plain; charset=utf-8", readText(file, "--file"));
        } else {
            Map<String, String> values = input.values(this);
            answer = values.size() == 1
                    ? gateway()
                            .write(
                                    "PUT",
                                    path + "/secrets/"
                                            + Gateway.segment(
                                                    values.keySet().iterator().next()) + "?dryRun=true",
                                    "application/json",
                                    Json.write(Map.of(
                                            "value", values.values().iterator().next())))
                    : gateway().write("POST", path + "/import?dryRun=true", "application/json", Json.write(values));
        }
        Json result = answer.json();
        if (json()) {
            printJson(result);
            return ExitCode.OK.code();
        }
        Json restarts = result.path("restarts");
        Views.restartTable(restarts).print(io().out());
        say(restarts.isEmpty() ? "Nobody would restart." : restarts.size() + " deployment(s) would restart.");
        return ExitCode.OK.code();
    }
}
