package io.vaultgate.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI as a process of its own, started the way bin/vaultgate starts it: its main class on
 * this JVM's class path, with exactly the environment given. For what an in-process run cannot
 * show: the process's own environment, which {@code run} hands on, and its real stdout and stderr.
 */
final class CliProcess {

    private CliProcess() {}

    static Cli.Result run(Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("vaultgate-cli-process");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                VaultgateCli.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(folder.resolve("out").toFile())
                .redirectError(folder.resolve("err").toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process cli = builder.start();
        if (!cli.waitFor(60, TimeUnit.SECONDS)) {
            cli.destroyForcibly();
            throw new IllegalStateException("the CLI did not exit within 60 s: " + args);
        }
        return new Cli.Result(
                cli.exitValue(),
                Files.readString(folder.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(folder.resolve("err"), StandardCharsets.UTF_8));
    }
}
