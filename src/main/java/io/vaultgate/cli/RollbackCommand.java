package io.vaultgate.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rollback}: makes an old version's value current again, as a new version. */
@Command(
        name = "rollback",
        sortOptions = false,
        description = {"Make an old version of a key current again. It becomes a new version; history is kept."},
        footerHeading = "%nExample:%n",
        footer = {
            "  vaultgate history -p shop -e production DATABASE_URL",
            "  vaultgate rollback -p shop -e production DATABASE_URL --to 2"
        })
final class RollbackCommand extends GatewayCommand {

    @Mixin
    ScopeOptions scope;

    @Parameters(paramLabel = "KEY", arity = "0..1", description = "The key (or -k KEY).")
    String key;

    @Mixin
    KeyOption keyOption;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "VERSION",
            description = "The version whose value to restore.")
    int version;

    @Option(
            names = "--expected-version",
            paramLabel = "N",
            description = "Roll back only if the key is at version N now.")
    Integer expectedVersion;

    @Mixin
    WriteOptions write;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        if (expectedVersion != null) {
            body.put("expectedVersion", expectedVersion);
        }
        Json answer = gateway()
                .write(
                        "POST",
                        scope.path() + "/secrets/" + Gateway.segment(keyOption.or(key)) + "/rollback" + write.query(),
                        "application/json",
                        Json.write(body))
                .json();
        printWritten(answer, applied -> Views.write(io().out(), applied));
        return ExitCode.OK.code();
    }
}
