package io.vaultgate.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The run whose loaded classes bin/vaultgate puts in its AppCDS archive: a few real commands
 * against a canned gateway on a loopback port of this JVM, so the archive holds what real calls
 * load, answers and errors included, without a gateway, a token or a network. An archive
 * recorded from a run that only failed to connect leaves out reading an answer, JSON and tables,
 * and a call then takes about 20 ms of 300 longer (bench/cli-startup.sh).
 *
 * <p>Build tooling, so not in the jar: bin/vaultgate compiles this file against the jar and runs
 * it with its folder after the jar on the class path, for the class list only. It is in the
 * CLI's package to call {@link VaultgateCli#run} as {@code main} does, minus the exit. The build
 * compiles it with the tests, and CdsTrainingTest runs it.
 */
final class CdsTraining {

    private static final String SECRETS = "{\"scope\":\"/v1/projects/cds\",\"scopeKind\":\"project\",\"secrets\":"
            + "[{\"key\":\"K\",\"version\":1,\"updatedAt\":\"2026-01-01T00:00:00.000001Z\",\"lastAccessedAt\":null}]}";
    private static final String WRITTEN = "{\"changeSetId\":\"c\",\"scope\":\"/v1/projects/cds\",\"key\":\"K\","
            + "\"operation\":\"update\",\"version\":2,\"replayed\":false,\"dryRun\":false,\"restarts\":[]}";
    private static final String NOT_FOUND =
            "{\"status\":404,\"code\":\"secret-not-found\",\"detail\":\"No such key.\"}";

    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        HttpServer gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/", CdsTraining::answer);
        gateway.start();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Io io = new Io(
                InputStream.nullInputStream(),
                quiet,
                quiet,
                Map.of(
                        "VAULTGATE_ADDR",
                        "http://127.0.0.1:" + gateway.getAddress().getPort(),
                        "VAULTGATE_TOKEN",
                        "cds-training"));
        try {
            // Each command must end as a real call would: a run that failed early records less.
            expect(ExitCode.OK, VaultgateCli.run(new String[] {"list", "-p", "cds"}, io));
            expect(ExitCode.OK, VaultgateCli.run(new String[] {"set", "-p", "cds", "K=v"}, io));
            expect(
                    ExitCode.NOT_FOUND,
                    VaultgateCli.run(new String[] {"history", "-p", "cds", "MISSING", "-o", "json"}, io));
        } finally {
            gateway.stop(0);
        }
    }

    private static void expect(ExitCode expected, int actual) {
        if (actual != expected.code()) {
            throw new IllegalStateException("training command exited " + actual + ", expected " + expected.code());
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        boolean list = exchange.getRequestMethod().equals("GET") && path.endsWith("/secrets");
        boolean write = exchange.getRequestMethod().equals("PUT");
        byte[] body = (list ? SECRETS : write ? WRITTEN : NOT_FOUND).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders()
                .set("Content-Type", list || write ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(list || write ? 200 : 404, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
