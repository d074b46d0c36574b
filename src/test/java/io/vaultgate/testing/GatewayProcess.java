package io.vaultgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway in a JVM of its own, started as production is (MICRONAUT_ENVIRONMENTS=production,
 * its Vault token in VAULT_TOKEN), from this JVM's class path: a fault test can kill -9 it and
 * start it again on the same port.
 */
public final class GatewayProcess extends Part {

    private final Path java;
    private final List<String> jvmOptions;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final Path log;
    private final int port = freePort();

    private GatewayProcess(
            Path java,
            List<String> jvmOptions,
            Map<String, String> properties,
            Map<String, String> environment,
            Path log) {
        this.java = java;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.properties = properties;
        this.environment = environment;
        this.log = log;
    }

    /** @param properties system properties (never a secret); @param environment VAULT_TOKEN and the like */
    public static GatewayProcess start(Map<String, String> properties, Map<String, String> environment, Path log) {
        return start(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                List.of("-Xmx512m"),
                properties,
                environment,
                log);
    }

    /** The same on another JVM ({@code java}, e.g. a newer JDK) with these JVM options (heap, stack...). */
    public static GatewayProcess start(
            Path java,
            List<String> jvmOptions,
            Map<String, String> properties,
            Map<String, String> environment,
            Path log) {
        GatewayProcess gateway = new GatewayProcess(java, jvmOptions, properties, environment, log);
        gateway.restart();
        return gateway;
    }

    /** The running JVM's process id, for reading its /proc entries. */
    public long pid() {
        return process.pid();
    }

    @Override
    public String name() {
        return "gateway";
    }

    public URI address() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path log() {
        return log;
    }

    /** {@code SIGTERM}, as an orchestrator stops a replica: the gateway shuts down on its own. */
    public void terminate() {
        process.destroy();
    }

    /** Whether the JVM exited within {@code atMost}. */
    public boolean awaitExit(Duration atMost) throws InterruptedException {
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void restart() {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "-Dmicronaut.server.port=" + port,
                "-Dmicronaut.server.host=127.0.0.1"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("io.vaultgate.Application");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("MICRONAUT_ENVIRONMENTS", "production");
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the gateway", e);
        }
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        await("gateway", Duration.ofSeconds(90), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return client.send(
                                        HttpRequest.newBuilder(address().resolve("/v1/projects"))
                                                .timeout(Duration.ofSeconds(2))
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        > 0;
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }
}
