package io.vaultgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The real command line, run in-process with its own stdin, stdout, stderr and environment. */
record Cli(Map<String, String> env, byte[] stdin) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The environment of this JVM, as a script's would be (PATH, HOME...), with the gateway's address and token. */
    static Cli of(String address, String token) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("VAULTGATE_ADDR", address);
        env.remove("VAULTGATE_TOKEN");
        if (token != null) {
            env.put("VAULTGATE_TOKEN", token);
        }
        return new Cli(Map.copyOf(env), new byte[0]);
    }

    Cli withToken(String token) {
        Map<String, String> changed = new HashMap<>(env);
        changed.put("VAULTGATE_TOKEN", token);
        return new Cli(Map.copyOf(changed), stdin);
    }

    Cli withStdin(String text) {
        return new Cli(env, text.getBytes(StandardCharsets.UTF_8));
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VaultgateCli.run(
                args,
                new Io(
                        new ByteArrayInputStream(stdin),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a run printed, and its exit code. */
    record Result(int exit, String out, String err) {

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("stdout is not JSON: " + this, e);
            }
        }

        List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
