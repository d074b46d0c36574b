package io.vaultgate.cli;

import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code check}: the pre-deploy gate. Exits 7 when the deployment lacks a key its service requires. */
@Command(
        name = "check",
        description = {
            "Check that a deployment (-p -e -s) resolves every key its service requires.",
            "Exits 7 and lists the missing keys when it does not: run it before a deploy."
        },
        footerHeading = "%nExample:%n",
        footer = {"  vaultgate check -p shop -e production -s api || exit 1"})
final class CheckCommand extends GatewayCommand {

    @Mixin
    ScopeOptions scope;

    @Override
    public Integer call() {
        Json answer = gateway().get(scope.deploymentPath("check") + "/check").json();
        Set<String> missing = new HashSet<>();
        answer.path("missing")
                .forEach(key -> missing.add(key.isObject() ? key.path("key").asText() : key.asText()));
        if (json()) {
            printJson(answer);
        } else {
            Table table = new Table("KEY", "STATUS");
            answer.path("required")
                    .forEach(key -> table.row(key.asText(), missing.contains(key.asText()) ? "missing" : "ok"));
            table.print(io().out());
        }
        if (missing.isEmpty()) {
            say("Every required key resolves (" + answer.path("required").size() + ").");
            return ExitCode.OK.code();
        }
        say(missing.size() + " required key(s) missing: "
                + String.join(", ", missing.stream().sorted().toList()) + ".");
        return ExitCode.MISSING_KEYS.code();
    }
}
