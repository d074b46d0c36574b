package io.vaultgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    /** Messages go to stderr, so stdout stays data a script can read. */
    void say(String message) {
        io().err().println(message);
    }

    /** UTF-8 text from a file, or from standard input for {@code -}. The message names the source, never the content. */
    String readText(String source) {
        byte[] bytes;
        String what = source.equals("-") ? "standard input" : source;
        try {
            if (source.equals("-")) {
                InputStream in = io().in();
                bytes = in.readAllBytes();
            } else {
                bytes = Files.readAllBytes(Path.of(source));
            }
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCode.ERROR, "No such file: " + source + ".");
        } catch (IOException e) {
            throw new CliException(ExitCode.ERROR, "Cannot read " + what + " (" + e.getClass().getSimpleName() + ").");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CliException(ExitCode.ERROR, "The content of " + what + " is not UTF-8 text; secrets are text.");
        }
    }
}
