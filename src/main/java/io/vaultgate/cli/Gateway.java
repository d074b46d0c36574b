package io.vaultgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's HTTP API as the CLI calls it. Every request that fails to connect, or that the
 * gateway answers 503, is sent once more after a short pause; a write carries an
 * {@code Idempotency-Key}, the same on both tries, so the gateway applies it once however the
 * first try ended. Answers other than 2xx become a {@link CliException} with the exit code of
 * {@link ExitCode#forStatus}.
 *
 * <p>It uses the JDK's {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: a
 * call makes one blocking request, and the HttpClient's asynchronous machinery (selector
 * thread, executor, futures) cost a {@code vaultgate list} a third of its wall time, about 100 ms
 * of some 350 (bench/cli-startup.sh); its selector thread also holds a JVM at exit for 300 ms
 * unless stopped, which JDK 17's HttpClient cannot do.
 */
final class Gateway {

    static final String DEFAULT_ADDRESS = "http://127.0.0.1:8080";
    static final String ADDRESS_VARIABLE = "VAULTGATE_ADDR";
    /** The one variable the CLI reads a credential from; {@code run} keeps it from the command it starts. */
    static final String TOKEN_VARIABLE = "VAULTGATE_TOKEN";

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** A rate-limited call is tried again this many times at most, waiting Retry-After (capped) each time. */
    private static final int RATE_LIMIT_WAITS = 3;

    private static final int MAX_RATE_LIMIT_WAIT_SECONDS = 10;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    private final URI base;
    private final String token;

    Gateway(String address, String token) {
        this(parseAddress(address), token);
    }

    private Gateway(URI base, String token) {
        this.base = base;
        this.token = token == null || token.isBlank() ? null : token.trim();
    }

    /** The same gateway, called with another token (one a JWT was exchanged for). */
    Gateway withToken(String other) {
        return new Gateway(base, other);
    }

    /**
     * An answer: status, body, content type, the seconds its {@code Retry-After} asks (-1: none)
     * and its {@code ETag} (null: none).
     */
    record Answer(int status, String body, String contentType, int retryAfterSeconds, String etag) {

        Json json() {
            return Json.read(body);
        }
    }

    Answer get(String path) {
        return send("GET", path, null, null, false, REQUEST_TIMEOUT);
    }

    /**
     * A request whose answer the caller judges itself (as {@code run} does, which boots from its
     * fallback on a 5xx but never on a 401): tried as every request is, answered whatever its
     * status, or null when the gateway could not be reached on either try.
     */
    Answer exchange(String method, String path, Map<String, String> headers, String contentType, String body) {
        requireToken();
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        Request request = new Request(
                method,
                base.resolve(path.substring(1)),
                contentType,
                bytes,
                method.equals("GET") ? null : UUID.randomUUID().toString(),
                REQUEST_TIMEOUT,
                Map.copyOf(headers));
        try {
            Answer first = attempt(request);
            if (first.status() != 503) {
                return first;
            }
        } catch (IOException firstFailure) {
            // Tried once more below, as every request is.
        }
        pause();
        try {
            return attempt(request);
        } catch (IOException e) {
            return null;
        }
    }

    /** The answer when it is a success, else the CliException every command exits with. */
    Answer check(Answer answer) {
        return checked(answer);
    }

    /** The address as the user gave it, for messages. */
    URI address() {
        return base;
    }

    /** A GET that may legitimately take {@code timeout}, such as a long poll. */
    Answer get(String path, Duration timeout) {
        return send("GET", path, null, null, false, timeout);
    }

    Answer write(String method, String path, String contentType, String body) {
        return send(method, path, contentType, body, true, REQUEST_TIMEOUT);
    }

    /** A path segment as typed by the user, encoded so that no input can change the path. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void requireToken() {
        if (token == null) {
            throw new CliException(ExitCode.AUTH, "No token: set " + TOKEN_VARIABLE + " or pass --token.");
        }
    }

    private Answer send(String method, String path, String contentType, String body, boolean write, Duration timeout) {
        requireToken();
        // Relative to the address, so a gateway behind a path prefix (https://host/vaultgate/) works.
        URI uri = base.resolve(path.substring(1));
        // A POST or PUT without a body still says so (Content-Length: 0).
        byte[] bytes = body != null
                ? body.getBytes(StandardCharsets.UTF_8)
                : method.equals("POST") || method.equals("PUT") ? new byte[0] : null;
        Request request = new Request(
                method, uri, contentType, bytes, write ? UUID.randomUUID().toString() : null, timeout, Map.of());
        try {
            Answer first = attempt(request);
            // Rate limited: wait as told, a few times, with the same Idempotency-Key; scripts loop.
            for (int waits = 0; first.status() == 429 && waits < RATE_LIMIT_WAITS; waits++) {
                sleep(Duration.ofSeconds(
                        Math.min(Math.max(first.retryAfterSeconds(), 1), MAX_RATE_LIMIT_WAIT_SECONDS)));
                first = attempt(request);
            }
            if (first.status() != 503) {
                return checked(first);
            }
        } catch (IOException firstFailure) {
            // Connection refused or reset, or no answer in time: try once more with the same key.
        }
        pause();
        try {
            return checked(attempt(request));
        } catch (IOException e) {
            throw new CliException(
                    ExitCode.UNAVAILABLE,
                    "Cannot reach the gateway at " + base + " (" + describe(e) + "). Set " + ADDRESS_VARIABLE
                            + " or pass --addr.");
        }
    }

    /** One request, as sent on each try. */
    private record Request(
            String method,
            URI uri,
            String contentType,
            byte[] body,
            String idempotencyKey,
            Duration timeout,
            Map<String, String> headers) {
        /** Without the body: it may hold a value. */
        @Override
        public String toString() {
            return "Request[" + method + " " + uri + "]";
        }
    }

    private Answer attempt(Request request) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) request.uri().toURL().openConnection();
        connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        connection.setReadTimeout((int) request.timeout().toMillis());
        // A redirect is the gateway's answer to report, not a place to send the token.
        connection.setInstanceFollowRedirects(false);
        connection.setRequestMethod(request.method());
        connection.setRequestProperty("Authorization", "Bearer " + token);
        connection.setRequestProperty("Accept", "application/json, application/problem+json");
        if (request.idempotencyKey() != null) {
            connection.setRequestProperty(IDEMPOTENCY_KEY, request.idempotencyKey());
        }
        request.headers().forEach(connection::setRequestProperty);
        if (request.body() != null) {
            if (request.contentType() != null) {
                connection.setRequestProperty("Content-Type", request.contentType());
            }
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(request.body().length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(request.body());
            }
        }
        int status = connection.getResponseCode();
        InputStream stream = status < 400 ? connection.getInputStream() : connection.getErrorStream();
        String text = "";
        if (stream != null) {
            try (InputStream in = stream) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        String type = connection.getContentType();
        return new Answer(
                status,
                text,
                type == null ? "" : type,
                seconds(connection.getHeaderField("Retry-After")),
                connection.getHeaderField("ETag"));
    }

    private Answer checked(Answer answer) {
        if (answer.status() / 100 == 2 || answer.status() == 304) {
            return answer;
        }
        ExitCode exit = ExitCode.forStatus(answer.status());
        if (!answer.contentType().startsWith("application/problem+json")
                && !answer.contentType().startsWith("application/json")) {
            // Not the gateway's own answer (a proxy's page, say): say what happened, print none of it.
            throw new CliException(exit, "The gateway answered HTTP " + answer.status() + ".");
        }
        Json problem;
        try {
            problem = answer.json();
        } catch (CliException notJson) {
            throw new CliException(exit, "The gateway answered HTTP " + answer.status() + ".");
        }
        StringBuilder message = new StringBuilder(problem.path("detail").asText("HTTP " + answer.status()));
        message.append(" [").append(problem.path("code").asText("http-" + answer.status()));
        if (problem.hasNonNull("line")) {
            message.append(", line ").append(problem.path("line").asInt());
        }
        if (problem.hasNonNull("field")) {
            message.append(", field ").append(problem.path("field").asText());
        }
        if (problem.hasNonNull("requestId")) {
            message.append(", request ").append(problem.path("requestId").asText());
        }
        throw new CliException(exit, message.append(']').toString(), answer.body());
    }

    private static URI parseAddress(String address) {
        String text = address == null || address.isBlank() ? DEFAULT_ADDRESS : address.trim();
        try {
            URI uri = URI.create(text.endsWith("/") ? text : text + "/");
            // No credential in the address: it is printed when the gateway is unreachable and
            // handed on by `run`, and the token has its own variable.
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    ExitCode.USAGE,
                    "The gateway address must be an http(s) URL such as "
                            + DEFAULT_ADDRESS + ", with no user:password@, no query and no fragment ("
                            + ADDRESS_VARIABLE
                            + " or --addr).");
        }
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null || e.getMessage().isBlank() ? name : name + ": " + e.getMessage();
    }

    /** Retry-After in whole seconds (the gateway sends no dates); -1 when absent or not a number. */
    private static int seconds(String retryAfter) {
        try {
            return retryAfter == null ? -1 : Integer.parseInt(retryAfter.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNAVAILABLE, "Interrupted while waiting to retry.");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.ERROR, "Interrupted.");
        }
    }
}
