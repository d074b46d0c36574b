package io.vaultgate.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the gateway, the output mode, the streams, and reading text input. */
abstract class GatewayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    VaultgateCli cli() {
        return (VaultgateCli) spec.root().userObject();
    }

    Gateway gateway() {
        return cli().gateway();
    }

    boolean json() {
        return cli().output() == VaultgateCli.Output.json;
    }

    Io io() {
        return cli().io();
    }

    /** Data goes to stdout. */
    void print(String line) {
        io().out().println(line);
    }

    /** The gateway's JSON answer, as it sent it. */
    void printJson(Json answer) {
        print(Json.write(answer));
    }

    /**
     * A write's answer: as JSON, as the draft it was staged into ({@code --change-set}), or as
     * {@code applied} prints an applied one.
     */
    void printWritten(Json answer, Consumer<Json> applied) {
        if (json()) {
            printJson(answer);
        } else if (Views.isStaged(answer)) {
            Views.staged(io().out(), List.of(answer));
            say(Views.stagedSummary(answer));
        } else {
            applied.accept(answer);
        }
    }

    /** Messages go to stderr, so stdout stays data a script can read. */
    void say(String message) {
        io().err().println(message);
    }

    /**
     * UTF-8 text from the file given to {@code option}, or from standard input for {@code -}.
     * Messages name the option, never the path (it may be a value given to the wrong option) or the content.
     */
    String readText(String source, String option) {
        if (source.equals("-")) {
            return readStandardInput();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(source));
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCode.ERROR, "No such file for " + option + ".");
        } catch (IOException | InvalidPathException e) {
            throw new CliException(
                    ExitCode.ERROR,
                    "Cannot read the file given to " + option + " ("
                            + e.getClass().getSimpleName() + ").");
        }
        return utf8(bytes, "the file given to " + option);
    }

    /** Standard input, whole, as UTF-8 text. */
    String readStandardInput() {
        try {
            return utf8(io().in().readAllBytes(), "standard input");
        } catch (IOException e) {
            throw new CliException(
                    ExitCode.ERROR,
                    "Cannot read standard input (" + e.getClass().getSimpleName() + ").");
        }
    }

    private static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CliException(ExitCode.ERROR, "The content of " + what + " is not UTF-8 text; secrets are text.");
        }
    }
}
