package io.vaultgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production cannot fall into dev mode by accident: the gateway starts only when exactly one of
 * the {@code dev} and {@code production} environments is asked for, and says how in one line.
 */
class RunModeTest {

    private static final String HOW_TO_CHOOSE = "set MICRONAUT_ENVIRONMENTS=production (Vault + MySQL) or "
            + "MICRONAUT_ENVIRONMENTS=dev (local files, this machine only; scripts/dev.sh does)";

    @TempDir
    Path dataDir;

    @Test
    void startingWithNeitherDevNorProductionFailsSayingHowToChoose() {
        assertThatThrownBy(() -> ApplicationContext.run(properties()).close())
                .satisfies(e -> assertThat(rootCause(e).getMessage())
                        .isEqualTo("Vaultgate needs a mode: " + HOW_TO_CHOOSE + "."));
        assertThat(dataDir).as("nothing written before refusing").isEmptyDirectory();
    }

    @Test
    void startingWithBothDevAndProductionFails() {
        assertThatThrownBy(() -> ApplicationContext.run(properties(), "dev", "production")
                        .close())
                .satisfies(e -> assertThat(rootCause(e).getMessage())
                        .isEqualTo("Vaultgate runs in one mode, not both dev and production: " + HOW_TO_CHOOSE + "."));
    }

    @Test
    void aModePropertyThatContradictsTheEnvironmentIsRefused() {
        Map<String, Object> properties = properties();
        properties.put("vaultgate.mode", "dev");

        assertThatThrownBy(
                        () -> ApplicationContext.run(properties, "production").close())
                .satisfies(e -> assertThat(rootCause(e).getMessage())
                        .isEqualTo(
                                "vaultgate.mode (VAULTGATE_MODE) is 'dev' but the environment chose production; unset it: "
                                        + "MICRONAUT_ENVIRONMENTS alone chooses the mode."));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theGatewayProcessExitsAtStartWithTheOneLineWhenNoModeIsChosen() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Application.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("output.txt").toFile());
        builder.environment().remove("MICRONAUT_ENVIRONMENTS");
        builder.environment().remove("VAULTGATE_MODE");
        builder.environment().put("VAULTGATE_PORT", "-1");
        builder.environment().put("VAULTGATE_DATA_DIR", dataDir.resolve("data").toString());
        Process gateway = builder.start();
        try {
            boolean exited = gateway.waitFor(60, TimeUnit.SECONDS);
            String output = Files.readString(dataDir.resolve("output.txt"), StandardCharsets.UTF_8);

            assertThat(exited).as("exited by itself; output:\n" + output).isTrue();
            assertThat(gateway.exitValue()).isNotZero();
            assertThat(output.lines())
                    .as(output)
                    .anyMatch(line -> line.endsWith("Vaultgate needs a mode: " + HOW_TO_CHOOSE + "."));
            assertThat(dataDir.resolve("data")).as("no dev data folder").doesNotExist();
        } finally {
            gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("vaultgate.dev.data-dir", dataDir.resolve("data").toString());
        properties.put("micronaut.server.port", "-1");
        return properties;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
