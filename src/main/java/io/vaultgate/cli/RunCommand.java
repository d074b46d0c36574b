package io.vaultgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
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

    /** The variables a fallback's file and passphrase may come from, so neither is on a command line. */
    static final String FALLBACK_VARIABLE = "VAULTGATE_FALLBACK";

    static final String PASSPHRASE_VARIABLE = "VAULTGATE_FALLBACK_PASSPHRASE";
    static final String INSTANCE_HEADER = "Vaultgate-Instance";
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern REVISION = Pattern.compile("[0-9a-f]{64}");

    @Option(
            names = "--jwt-file",
            paramLabel = "FILE",
            description = "Exchange the JWT in FILE (a Kubernetes service account token, a CI provider's OIDC "
                    + "token) for a workload token of the deployment bound to it, instead of $VAULTGATE_TOKEN.")
    String jwtFile;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command and its arguments (after --).")
    List<String> command;

    @Option(
            names = "--fallback",
            paramLabel = "FILE",
            description = "Keep the environment in this encrypted file after each fetch, and boot from it when the "
                    + "gateway is unreachable or answers 5xx (never on 401/403, which delete it). Default $"
                    + FALLBACK_VARIABLE + "; none: no fallback.")
    Path fallback;

    @Option(names = "--fallback-only", description = "Boot from the fallback file without calling the gateway.")
    boolean fallbackOnly;

    @Option(names = "--fallback-readonly", description = "Boot from the fallback file when needed, never write it.")
    boolean fallbackReadonly;

    @Option(
            names = "--no-fallback",
            description = "Neither read nor write a fallback file, whatever $" + FALLBACK_VARIABLE + " says.")
    boolean noFallback;

    @Option(
            names = "--passphrase",
            paramLabel = "TEXT",
            description = "The fallback file's passphrase; default $" + PASSPHRASE_VARIABLE
                    + " (prefer it: arguments show in ps), else one derived from the token and the gateway's address.")
    String passphrase;

    @Option(
            names = "--fallback-max-age",
            paramLabel = "DURATION",
            description = "Refuse a fallback file taken longer ago than this (default 24h).")
    String fallbackMaxAge;

    @Option(
            names = "--watch",
            description = "Poll the gateway (ETag) and restart COMMAND when the deployment's revision changes: "
                    + "SIGTERM, then SIGKILL after --grace.")
    boolean watch;

    @Option(
            names = "--watch-interval",
            paramLabel = "DURATION",
            description = "Time between two polls of --watch (1s to 1h, default 30s).")
    String watchInterval;

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            description = "How long a restart of --watch waits after SIGTERM before SIGKILL (0s to 10m, default 10s).")
    String grace;

    @Option(
            names = "--instance",
            paramLabel = "ID",
            description = "This instance's id in the rollout ledger (default: the host name).")
    String instance;

    /** A signal that came before the child existed, guarded by the child's reference. */
    private String pending;

    private final AtomicReference<Process> started = new AtomicReference<>();
    private Thread fallbackWriter;
    /** The gateway called with the token the --jwt-file JWT was exchanged for, once exchanged. */
    private Gateway exchanged;
    /** The exit code of the last COMMAND that could not be started (126, 127). */
    private int lastStartFailure;

    /** An environment to run COMMAND in, and the revision it is. */
    private record Boot(SortedMap<String, String> environment, String revision, boolean fromFallback) {
        @Override
        public String toString() {
            return "Boot[revision=" + revision + ", keys=" + environment.keySet() + "]";
        }
    }

    @Override
    public Integer call() {
        Path file = fallbackFile();
        if (fallbackOnly && file == null) {
            throw new CliException(
                    ExitCode.USAGE, "--fallback-only needs --fallback FILE (or $" + FALLBACK_VARIABLE + ").");
        }
        Duration maxAge = fallbackMaxAge == null
                ? Duration.ofHours(24)
                : Durations.between(fallbackMaxAge, "--fallback-max-age", Duration.ofSeconds(1), Duration.ofDays(3650));
        Duration interval = watchInterval == null
                ? Duration.ofSeconds(30)
                : Durations.between(watchInterval, "--watch-interval", Duration.ofSeconds(1), Duration.ofHours(1));
        Duration graceful = grace == null
                ? Duration.ofSeconds(10)
                : Durations.between(grace, "--grace", Duration.ZERO, Duration.ofMinutes(10));
        String id = instanceId();
        Boot boot = fallbackOnly ? fromFallback(file, maxAge, "--fallback-only") : fetch(file, maxAge, id);
        Map<Signal, SignalHandler> previous = forwardSignals(started);
        try {
            Process child = start(boot.environment());
            if (child == null) {
                return lastStartFailure;
            }
            if (boot.fromFallback() && !fallbackOnly) {
                reportLater(boot, id, interval);
            }
            if (!watch || fallbackOnly) {
                return waitFor(child);
            }
            return watch(child, boot, file, id, interval, graceful);
        } finally {
            previous.forEach(Signal::handle);
            finishWriting();
        }
    }

    /** The fallback file in use: --fallback, else $VAULTGATE_FALLBACK; none with --no-fallback. */
    private Path fallbackFile() {
        if (noFallback) {
            if (fallback != null || fallbackOnly || fallbackReadonly) {
                throw new CliException(ExitCode.USAGE, "--no-fallback goes with no other --fallback option.");
            }
            return null;
        }
        if (fallback != null) {
            return fallback;
        }
        String named = io().env().get(FALLBACK_VARIABLE);
        return named == null || named.isBlank() ? null : Path.of(named);
    }

    /** --instance, else the host name; one the ledger would refuse is not sent. */
    private String instanceId() {
        if (instance != null) {
            if (!INSTANCE.matcher(instance).matches()) {
                throw new CliException(
                        ExitCode.USAGE,
                        "--instance is 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.");
            }
            return instance;
        }
        String host = io().env().get("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/etc/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                host = null;
            }
        }
        return host != null && INSTANCE.matcher(host).matches() ? host : null;
    }

    /**
     * GET /v1/env. A success is kept in the fallback file; a 401 or 403 deletes it and ends here
     * (a revoked token must not boot from a copy); an unreachable gateway or a 5xx boots from it.
     */
    private Boot fetch(Path file, Duration maxAge, String id) {
        Map<String, String> headers = new HashMap<>();
        if (id != null) {
            headers.put(INSTANCE_HEADER, id);
        }
        Gateway.Answer answer = jwtFile == null || exchanged != null ? null : postJwt();
        if (answer != null && answer.status() == 200) {
            exchanged = gateway().withToken(tokenOf(answer));
        }
        if (jwtFile == null || exchanged != null) {
            answer = workloadGateway().exchange("GET", "/v1/env?format=json", headers, null, null);
        }
        if (answer == null || answer.status() >= 500) {
            String why = answer == null
                    ? "the gateway at " + gateway().address() + " is unreachable"
                    : "the gateway answered HTTP " + answer.status();
            if (file == null && answer != null) {
                gateway().check(answer); // the usual error and exit code
            }
            if (file == null) {
                throw new CliException(
                        ExitCode.UNAVAILABLE,
                        "Cannot reach the gateway at " + gateway().address() + ". Set " + Gateway.ADDRESS_VARIABLE
                                + " or pass --addr.");
            }
            say("vaultgate run: " + why + "; trying the fallback file.");
            return fromFallback(file, maxAge, why);
        }
        if ((answer.status() == 401 || answer.status() == 403) && file != null && !fallbackReadonly) {
            FallbackFile.delete(file);
            say("vaultgate run: the gateway refused the " + (jwtFile == null ? "token" : "JWT")
                    + "; the fallback file is deleted.");
        }
        gateway().check(answer);
        Boot boot = new Boot(environment(answer.json()), revision(answer.etag()), false);
        keep(file, boot);
        return boot;
    }

    /**
     * The gateway called with the workload token: {@code $VAULTGATE_TOKEN}, or the token the JWT in
     * {@code --jwt-file} was exchanged for, exchanging it now if it has not been.
     */
    private Gateway workloadGateway() {
        if (jwtFile == null) {
            return gateway();
        }
        if (exchanged == null) {
            Gateway.Answer answer = postJwt();
            if (answer == null) {
                throw new CliException(
                        ExitCode.UNAVAILABLE,
                        "Cannot reach the gateway at " + gateway().address() + ".");
            }
            exchanged = gateway().withToken(tokenOf(answer));
        }
        return exchanged;
    }

    /**
     * {@code POST /v1/auth/jwt} with the JWT in {@code --jwt-file}, read at each exchange since its
     * issuer (the kubelet, say) replaces it before it expires; null when the gateway is out of reach.
     */
    private Gateway.Answer postJwt() {
        String jwt = readText(jwtFile, "--jwt-file").strip();
        if (jwt.isEmpty()) {
            throw new CliException(ExitCode.ERROR, "The file given to --jwt-file is empty.");
        }
        return gateway()
                .withToken(jwt)
                .exchange("POST", "/v1/auth/jwt", Map.of(), "application/json", Json.write(Map.of("jwt", jwt)));
    }

    /** The token of a JWT exchange's answer; a refusal ends here with the usual error and exit code. */
    private String tokenOf(Gateway.Answer answer) {
        Json token = gateway().check(answer).json().path("token");
        if (!token.isTextual()) {
            throw new CliException(ExitCode.ERROR, "The gateway's answer to the JWT holds no token.");
        }
        return token.asText();
    }

    private Boot fromFallback(Path file, Duration maxAge, String why) {
        FallbackFile.Contents contents;
        try {
            contents = FallbackFile.read(file, passphrase());
        } catch (FallbackFile.Refused refused) {
            throw new CliException(
                    ExitCode.UNAVAILABLE,
                    "vaultgate run: cannot boot from the fallback file: " + refused.getMessage() + ".");
        }
        Instant now = Instant.now();
        if (contents.takenAt().plus(maxAge).isBefore(now)) {
            throw new CliException(
                    ExitCode.UNAVAILABLE,
                    "vaultgate run: cannot boot from the fallback file: it was taken at " + contents.takenAt()
                            + ", longer ago than --fallback-max-age (" + maxAge.toSeconds() + "s).");
        }
        say("vaultgate run: booted from a fallback of revision " + contents.revision() + " taken at "
                + contents.takenAt() + " (" + why + ").");
        return new Boot(contents.environment(), contents.revision(), true);
    }

    /** --passphrase, else $VAULTGATE_FALLBACK_PASSPHRASE, else one only this token opens. */
    private char[] passphrase() {
        if (passphrase != null) {
            return passphrase.toCharArray();
        }
        String variable = io().env().get(PASSPHRASE_VARIABLE);
        if (variable != null && !variable.isEmpty()) {
            return variable.toCharArray();
        }
        if (jwtFile != null) {
            throw new CliException(
                    ExitCode.USAGE,
                    "A fallback file with --jwt-file needs --passphrase or $" + PASSPHRASE_VARIABLE
                            + ": the JWT and the token it is exchanged for change from one boot to the next.");
        }
        String token = cli().token != null ? cli().token : io().env().get(Gateway.TOKEN_VARIABLE);
        if (token == null || token.isBlank()) {
            throw new CliException(
                    ExitCode.AUTH,
                    "No token to derive the fallback's passphrase from: set " + Gateway.TOKEN_VARIABLE + " or "
                            + PASSPHRASE_VARIABLE + ".");
        }
        // A workload token names one deployment; the address keeps a copy for one gateway from another's.
        return ("vaultgate-fallback:v1:" + gateway().address() + ":" + token.strip()).toCharArray();
    }

    /** Writes the fallback file in the background: the 600,000 PBKDF2 rounds must not delay the boot. */
    private void keep(Path file, Boot boot) {
        if (file == null || fallbackReadonly) {
            return;
        }
        finishWriting();
        char[] secret = passphrase();
        FallbackFile.Contents contents = new FallbackFile.Contents(boot.revision(), Instant.now(), boot.environment());
        fallbackWriter = new Thread(
                () -> {
                    try {
                        FallbackFile.write(file, secret, contents);
                    } catch (IOException | RuntimeException e) {
                        say("vaultgate run: could not write the fallback file ("
                                + e.getClass().getSimpleName() + "); the command runs without one.");
                    } finally {
                        java.util.Arrays.fill(secret, '\0');
                    }
                },
                "vaultgate-fallback-writer");
        fallbackWriter.start();
    }

    private void finishWriting() {
        Thread writer = fallbackWriter;
        while (writer != null && writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                // Keep waiting: a half-written file is never left (it is renamed into place whole).
            }
        }
    }

    /** Reports a fallback boot once the gateway can be reached, in the background, until it is taken. */
    private void reportLater(Boot boot, String id, Duration interval) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("instance", id);
        }
        body.put("revision", boot.revision());
        body.put("bootedAt", Instant.now().toString());
        String text = Json.write(body);
        Thread reporter = new Thread(
                () -> {
                    while (true) {
                        Gateway.Answer answer;
                        try {
                            answer = workloadGateway()
                                    .exchange("POST", "/v1/env/fallback-boots", Map.of(), "application/json", text);
                        } catch (CliException notYet) {
                            answer = null; // a JWT not exchanged yet: the gateway is still out of reach
                        } catch (RuntimeException e) {
                            return;
                        }
                        if (answer != null && answer.status() < 500) {
                            if (answer.status() != 202) {
                                say("vaultgate run: the gateway did not take the report of this fallback boot (HTTP "
                                        + answer.status() + ").");
                            }
                            return;
                        }
                        try {
                            Thread.sleep(Math.min(interval.toMillis(), 10_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "vaultgate-fallback-report");
        reporter.setDaemon(true);
        reporter.start();
    }

    /**
     * Runs until the child exits, polling the deployment's revision; a new one restarts the child
     * with the new environment. The child ending by itself ends {@code run} with its exit code.
     */
    private int watch(Process first, Boot boot, Path file, String id, Duration interval, Duration graceful) {
        Process child = first;
        String revision = boot.revision();
        Map<String, String> headers = new HashMap<>();
        if (id != null) {
            headers.put(INSTANCE_HEADER, id);
        }
        while (true) {
            if (waitFor(child, interval)) {
                return child.exitValue();
            }
            headers.put("If-None-Match", "\"" + revision + "\"");
            Gateway.Answer answer;
            try {
                answer = workloadGateway().exchange("GET", "/v1/env?format=json", headers, null, null);
            } catch (CliException e) {
                continue;
            }
            if (answer == null || answer.status() == 304 || answer.status() >= 500) {
                continue;
            }
            if (answer.status() == 401 || answer.status() == 403) {
                if (file != null && !fallbackReadonly) {
                    FallbackFile.delete(file);
                }
                say("vaultgate run: the gateway refused the token; --watch stops (the fallback file is deleted), "
                        + "the command runs on.");
                return waitFor(child);
            }
            if (answer.status() != 200) {
                continue;
            }
            Boot next;
            try {
                next = new Boot(environment(answer.json()), revision(answer.etag()), false);
            } catch (CliException malformed) {
                continue;
            }
            if (next.revision().equals(revision)) {
                continue;
            }
            keep(file, next);
            say("vaultgate run: revision " + next.revision() + " replaces " + revision + "; restarting the command.");
            if (!stop(child, graceful)) {
                return child.exitValue();
            }
            revision = next.revision();
            child = start(next.environment());
            if (child == null) {
                return lastStartFailure;
            }
        }
    }

    /** SIGTERM, the grace period, then SIGKILL. False when the child had already ended by itself. */
    private static boolean stop(Process child, Duration graceful) {
        if (!child.isAlive()) {
            return false;
        }
        child.destroy();
        if (!waitFor(child, graceful)) {
            child.destroyForcibly();
            waitFor(child);
        }
        return true;
    }

    /** Starts COMMAND with the environment; null when it cannot run ({@link #lastStartFailure} holds the code). */
    private Process start(Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(io().env());
        // The command gets what the token read, not the token (an operator's could do far more),
        // nor what opens the fallback file. A VAULTGATE_TOKEN that the deployment itself resolves
        // is one of its keys, and goes in below.
        builder.environment().remove(Gateway.TOKEN_VARIABLE);
        builder.environment().remove(PASSPHRASE_VARIABLE);
        builder.environment().putAll(environment);
        synchronized (started) {
            Process child;
            try {
                child = builder.start();
            } catch (IOException e) {
                // The JDK reports the errno: 2 is ENOENT, the shell's "command not found" (127).
                boolean missing = e.getMessage() != null && e.getMessage().contains("error=2,");
                // Not named: a token meant for --token, say, would be COMMAND here.
                say("vaultgate run: cannot run COMMAND" + (missing ? ": command not found." : "."));
                lastStartFailure = missing ? 127 : 126;
                return null;
            }
            started.set(child);
            if (pending != null) {
                deliver(child, pending);
                pending = null;
            }
            return child;
        }
    }

    private static int waitFor(Process child) {
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // Keep waiting: the child decides when it is done; signals have been passed on to it.
            }
        }
    }

    /** Whether the child ended within {@code time}. */
    private static boolean waitFor(Process child, Duration time) {
        try {
            return child.waitFor(time.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return !child.isAlive();
        }
    }

    private static SortedMap<String, String> environment(Json answer) {
        if (!answer.isObject()) {
            throw new CliException(ExitCode.ERROR, "The gateway's environment is not a JSON object of KEY to value.");
        }
        SortedMap<String, String> environment = new TreeMap<>();
        answer.fields().forEach((key, value) -> {
            if (!value.isTextual()) {
                throw new CliException(
                        ExitCode.ERROR, "The gateway sent a value for " + key + " that is not a string.");
            }
            environment.put(key, value.asText());
        });
        return environment;
    }

    /** The revision an ETag names; the gateway always sends one with an environment. */
    private static String revision(String etag) {
        String text = etag == null ? "" : etag.replace("\"", "").strip();
        if (!REVISION.matcher(text).matches()) {
            throw new CliException(ExitCode.ERROR, "The gateway sent an environment without its revision (ETag).");
        }
        return text;
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
