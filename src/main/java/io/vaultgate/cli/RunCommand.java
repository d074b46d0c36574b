package io.vaultgate.cli;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code run}: fetches the caller's environment with a workload token and runs the command in it.
 * A JVM cannot exec(2) in place, so the command runs as a child with the same stdin, stdout and
 * stderr, and its exit code becomes ours. Values go into the child's environment only; nothing
 * here prints one.
 */
@Command(
        name = "run",
        description = {
            "Fetch the environment of a deployment with its workload token ($VAULTGATE_TOKEN) and run "
                    + "COMMAND in it: the fetched keys over the current environment, without $VAULTGATE_TOKEN.",
            "Exits with COMMAND's exit code (128+N if signal N ended it; 126 if it cannot run, 127 if not found). "
                    + "SIGTERM and SIGHUP go on to COMMAND; so does SIGINT, except in a terminal, where Ctrl-C "
                    + "already reaches it."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  VAULTGATE_TOKEN=$(cat /run/secrets/vaultgate-token) vaultgate run -- java -jar app.jar",
            "  vaultgate run -- sh -c 'psql \"$DATABASE_URL\"'",
            "  vaultgate run --jwt-file /var/run/secrets/tokens/vaultgate -- java -jar app.jar"
        })
final class RunCommand extends GatewayCommand {

    @Option(
            names = "--jwt-file",
            paramLabel = "FILE",
            description = "Exchange the JWT in FILE (a Kubernetes service account token, a CI provider's OIDC "
                    + "token) for a workload token of the deployment bound to it, instead of $VAULTGATE_TOKEN.")
    String jwtFile;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command and its arguments (after --).")
    List<String> command;

    /** A signal that came before the child existed, guarded by the child's reference. */
    private String pending;

    @Override
    public Integer call() {
        Map<String, String> environment = fetchEnvironment();
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(io().env());
        // The command gets what the token read, not the token (an operator's could do far more).
        // A VAULTGATE_TOKEN that the deployment itself resolves is one of its keys, and goes in below.
        builder.environment().remove(Gateway.TOKEN_VARIABLE);
        builder.environment().putAll(environment);
        // Handlers first: a signal that arrives while the child starts must reach it too.
        AtomicReference<Process> started = new AtomicReference<>();
        Map<Signal, SignalHandler> previous = forwardSignals(started);
        try {
            Process child;
            try {
                child = builder.start();
            } catch (IOException e) {
                // The JDK reports the errno: 2 is ENOENT, the shell's "command not found" (127).
                boolean missing = e.getMessage() != null && e.getMessage().contains("error=2,");
                // Not named: a token meant for --token, say, would be COMMAND here.
                say("vaultgate run: cannot run COMMAND" + (missing ? ": command not found." : "."));
                return missing ? 127 : 126;
            }
            synchronized (started) {
                started.set(child);
                if (pending != null) {
                    deliver(child, pending);
                }
            }
            while (true) {
                try {
                    return child.waitFor();
                } catch (InterruptedException e) {
                    // Keep waiting: the child decides when it is done; signals have been passed on to it.
                }
            }
        } finally {
            previous.forEach(Signal::handle);
        }
    }

    private Map<String, String> fetchEnvironment() {
        Json answer = workloadGateway().get("/v1/env?format=json").json();
        if (!answer.isObject()) {
            throw new CliException(ExitCode.ERROR, "The gateway's environment is not a JSON object of KEY to value.");
        }
        Map<String, String> environment = new TreeMap<>();
        answer.fields().forEach((key, value) -> {
            if (!value.isTextual()) {
                throw new CliException(
                        ExitCode.ERROR, "The gateway sent a value for " + key + " that is not a string.");
            }
            environment.put(key, value.asText());
        });
        return environment;
    }

    /**
     * The gateway called with the workload token: {@code $VAULTGATE_TOKEN}, or the token the JWT in
     * {@code --jwt-file} is exchanged for ({@code POST /v1/auth/jwt}). The file is read at each run,
     * since its issuer (the kubelet, say) replaces it before it expires.
     */
    private Gateway workloadGateway() {
        if (jwtFile == null) {
            return gateway();
        }
        String jwt = readText(jwtFile, "--jwt-file").strip();
        if (jwt.isEmpty()) {
            throw new CliException(ExitCode.ERROR, "The file given to --jwt-file is empty.");
        }
        Gateway exchange = gateway().withToken(jwt);
        Json exchanged = exchange.write("POST", "/v1/auth/jwt", "application/json", Json.write(Map.of("jwt", jwt)))
                .json();
        if (!exchanged.path("token").isTextual()) {
            throw new CliException(ExitCode.ERROR, "The gateway's answer to the JWT holds no token.");
        }
        return gateway().withToken(exchanged.path("token").asText());
    }

    /**
     * SIGTERM (a container stop) and SIGHUP reach only us, so they are passed on. SIGINT from a
     * terminal's Ctrl-C already reaches the child too (same foreground process group); passing
     * it on as well would make many programs take it as a second, forceful interrupt. A signal
     * that comes before the child exists is kept and passed on once it does. Answers the
     * handlers replaced, to put back once the child is done.
     */
    private Map<Signal, SignalHandler> forwardSignals(AtomicReference<Process> child) {
        Map<Signal, SignalHandler> previous = new HashMap<>();
        for (String name : System.console() == null ? List.of("TERM", "HUP", "INT") : List.of("TERM", "HUP")) {
            forward(previous, name, signal -> {
                synchronized (child) {
                    if (child.get() == null) {
                        pending = signal.getName();
                    } else {
                        deliver(child.get(), signal.getName());
                    }
                }
            });
        }
        if (System.console() != null) {
            forward(previous, "INT", signal -> {});
        }
        return previous;
    }

    private static void forward(Map<Signal, SignalHandler> previous, String name, SignalHandler handler) {
        try {
            Signal signal = new Signal(name);
            previous.put(signal, Signal.handle(signal, handler));
        } catch (IllegalArgumentException reserved) {
            // The JVM keeps this signal for itself (as under -Xrs): it cannot be passed on.
        }
    }

    private static void deliver(Process child, String signal) {
        if (signal.equals("TERM")) {
            child.destroy();
        } else {
            kill(child, signal);
        }
    }

    private static void kill(Process child, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid()))
                    .inheritIO()
                    .start();
        } catch (IOException e) {
            child.destroy();
        }
    }
}
