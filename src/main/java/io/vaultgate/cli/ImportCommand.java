package io.vaultgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code import}: sends the .env file as it is ({@code text/plain}); the gateway parses it with
 * the one parser of {@code io.vaultgate.dotenv}, so what lands does not depend on the CLI's version.
 */
@Command(
        name = "import",
        sortOptions = false,
        description = {
            "Import a .env file into a scope as one change-set: every key, or none if one line is bad.",
            "dotenvx syntax: quotes, multi-line values, export, comments, ${VAR} of keys defined above; "
                    + "never command substitution.",
            "--dry-run lists what would be created, updated, unchanged or removed, and who would restart."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vaultgate import -p shop -e staging -f .env.staging --dry-run",
            "  vaultgate import -p shop -e staging -f .env.staging",
            "  sops -d prod.env | vaultgate import -p shop -e production -f -"
        })
final class ImportCommand extends GatewayCommand {

    @Mixin
    ScopeOptions scope;

    @Option(
            names = {"-f", "--file"},
            required = true,
            paramLabel = "FILE",
            description = "The .env file; - reads standard input.")
    String file;

    @Mixin
    WriteOptions write;

    @Override
    public Integer call() {
        String path = scope.path();
        String text = readText(file, "--file");
        Json answer = gateway()
                .write("POST", path + "/import" + write.query(), "text/plain; charset=utf-8", text)
                .json();
        printWritten(answer, applied -> {
            Views.importResult(io().out(), applied);
            say(Views.importSummary(applied));
        });
        return ExitCode.OK.code();
    }
}
