package io.vaultgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bin/vaultgate as a user runs it, on the jar this build packaged: the first call starts writing
 * the class-data archive in the background, from the training run it compiles out of
 * src/build/java, and the archive it puts in place holds the CLI. A failure there shows nowhere
 * else, since calls then just run without an archive, slower.
 */
class CliClassDataArchiveIT {

    @Test
    @Timeout(300)
    void theFirstCallAfterABuildWritesAnArchiveThatHoldsTheCli() throws Exception {
        Path folder = Files.createTempDirectory("vaultgate-cds");
        // A link in a folder of its own, so the archive lands there, next to what it names.
        Path jar = Files.createSymbolicLink(folder.resolve("vaultgate.jar"), packagedJar());

        String version = run(
                List.of(Path.of("bin", "vaultgate").toAbsolutePath().toString(), "--version"),
                Map.of("VAULTGATE_JAR", jar.toString(), "JAVA_HOME", System.getProperty("java.home")));
        // Written in the background: there once it exists and its lock is gone.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while ((files(folder, ".jsa").isEmpty() || !files(folder, ".lock").isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }

        assertThat(version).startsWith("vaultgate ");
        List<Path> archives = files(folder, ".jsa");
        assertThat(archives).as("archives written in %s", folder).hasSize(1);
        // -Xshare:on fails the JVM unless the archive maps; the log says where each class came from.
        String loaded = run(
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xshare:on",
                        "-XX:SharedArchiveFile=" + archives.get(0),
                        "-Xlog:class+load=info",
                        "-cp",
                        jar.toString(),
                        VaultgateCli.class.getName(),
                        "--version"),
                Map.of());
        assertThat(loaded).contains(VaultgateCli.class.getName() + " source: shared objects file");
    }

    /** {@code command} with {@code env} added to this JVM's: what it printed, once it exited 0. */
    private static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile("vaultgate-cds", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command.toString()).isTrue();
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(command + "\n" + printed).isZero();
        return printed;
    }

    /** The shaded jar beside this build's test classes, as bin/vaultgate finds it in target/. */
    private static Path packagedJar() throws Exception {
        Path build = Path.of(CliClassDataArchiveIT.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .getParent();
        try (Stream<Path> jars = Files.list(build)) {
            return jars.filter(jar -> jar.getFileName().toString().matches("vaultgate-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no packaged jar in " + build));
        }
    }

    private static List<Path> files(Path folder, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix))
                    .toList();
        }
    }
}
