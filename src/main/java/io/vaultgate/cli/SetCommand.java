package io.vaultgate.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code set}: one key is a {@code PUT} of that secret (which can carry an expected version);
 * several are one import, so they land together as one change-set or not at all.
 */
@Command(
        name = "set",
        sortOptions = false,
        description = {
            "Set secrets at a scope: KEY=VALUE pairs, or -k KEY with -v VALUE or --from-file FILE.",
            "A VALUE of - reads standard input (certificates, anything multi-line), byte for byte: "
                    + "use printf '%%s', not echo, unless the value ends with a newline.",
            "Several keys are set as one change-set: all of them or none."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vaultgate set -p shop LOG_LEVEL=info FEATURE_X=on",
            "  vaultgate set -p shop -e production -k TLS_CERT --from-file cert.pem",
            "  printf '%%s' \"$API_TOKEN\" | vaultgate set -p shop -s api API_TOKEN=-",
            "  vaultgate set -p shop DATABASE_URL=postgres://db/shop --expected-version 3"
        })
final class SetCommand extends GatewayCommand {

    @Mixin
    ScopeOptions scope;

    @Mixin
    ValueOptions input;

    @Option(
            names = "--expected-version",
            paramLabel = "N",
            description = "Set only if the key is at version N now (0: only if it does not exist). One key only.")
    Integer expectedVersion;

    @Mixin
    WriteOptions write;

    @Override
    public Integer call() {
        String path = scope.path();
        if (!input.given()) {
            throw new CliException(ExitCode.USAGE, "Nothing to set: give KEY=VALUE, or -k KEY -v VALUE.");
        }
        Map<String, String> values = input.values(this);
        if (values.size() == 1) {
            Map.Entry<String, String> only = values.entrySet().iterator().next();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("value", only.getValue());
            if (expectedVersion != null) {
                body.put("expectedVersion", expectedVersion);
            }
            Json answer = gateway()
                    .write(
                            "PUT",
                            path + "/secrets/" + Gateway.segment(only.getKey()) + write.query(),
                            "application/json",
                            Json.write(body))
                    .json();
            printWritten(answer, applied -> Views.write(io().out(), applied));
            return ExitCode.OK.code();
        }
        if (expectedVersion != null) {
            throw new CliException(
                    ExitCode.USAGE, "--expected-version goes with one key; this sets " + values.size() + ".");
        }
        Json answer = gateway()
                .write("POST", path + "/import" + write.query(), "application/json", Json.write(values))
                .json();
        printWritten(answer, applied -> {
            Views.importResult(io().out(), applied);
            say(Views.importSummary(applied));
        });
        return ExitCode.OK.code();
    }
}
