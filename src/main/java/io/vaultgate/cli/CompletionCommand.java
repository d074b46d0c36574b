package io.vaultgate.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** {@code completion}: picocli's bash (and zsh, through bashcompinit) completion script for every command and option. */
@Command(
        name = "completion",
        description = {"Print a bash completion script for vaultgate (zsh: autoload bashcompinit first)."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(vaultgate completion)", "  vaultgate completion > /etc/bash_completion.d/vaultgate"})
final class CompletionCommand extends GatewayCommand {

    @Override
    public Integer call() {
        io().out().print(AutoComplete.bash("vaultgate", spec.root().commandLine()));
        io().out().flush();
        return ExitCode.OK.code();
    }
}
