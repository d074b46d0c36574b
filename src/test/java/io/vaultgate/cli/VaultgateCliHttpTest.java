package io.vaultgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI's HTTP client against a stub server (the JDK's), for what a real gateway cannot be
 * made to do on cue: answer 503 once, answer a proxy's HTML page, sit behind a path prefix.
 * The subject here is the client: retries, Idempotency-Key, error rendering, `run`'s signals,
 * and which request each way of writing a command line sends.
 */
class VaultgateCliHttpTest {

    private static final String CANARY = "stub-canary-91d2";
    private static final Reply WRITTEN =
            new Reply(200, "application/json", "{\"key\":\"K\",\"operation\":\"update\",\"version\":2}");

    private HttpServer server;
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();

    record Recorded(String method, String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        /** Method, path and body: what two ways of writing one command line must agree on. */
        String request() {
            return method + " " + path + (body.isEmpty() ? "" : " " + body);
        }
    }

    /** A stub answer; {@code etag} as the gateway sends one with an environment (null: none). */
    record Reply(int status, String contentType, String body, String etag) {
        Reply(int status, String contentType, String body) {
            this(status, contentType, body, null);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aWriteAnswered503IsSentOnceMoreWithTheSameIdempotencyKey() {
        replies.add(new Reply(503, "application/problem+json", problem(503, "value-store-unavailable")));
        replies.add(new Reply(201, "application/json", "{\"key\":\"K\",\"operation\":\"create\",\"version\":1}"));

        Cli.Result set = cli().run("set", "-p", "shop", "K=v");

        assertThat(set.exit()).as(set.toString()).isZero();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).header("Idempotency-key"))
                .isNotBlank()
                .isEqualTo(requests.get(1).header("Idempotency-key"));
        assertThat(requests.get(0).path()).isEqualTo("/v1/projects/shop/secrets/K");
        assertThat(requests.get(0).body()).isEqualTo("{\"value\":\"v\"}");
    }

    @Test
    void aRateLimitedCallWaitsAsToldAndIsSentAgainWithTheSameIdempotencyKey() {
        replies.add(new Reply(429, "application/problem+json", problem(429, "rate-limited")));
        replies.add(new Reply(429, "application/problem+json", problem(429, "rate-limited")));
        replies.add(new Reply(201, "application/json", "{\"key\":\"K\",\"operation\":\"create\",\"version\":1}"));

        Cli.Result set = cli().run("set", "-p", "shop", "K=v");

        assertThat(set.exit()).as(set.toString()).isZero();
        assertThat(requests).hasSize(3);
        assertThat(requests)
                .extracting(r -> r.header("Idempotency-key"))
                .containsOnly(requests.get(0).header("Idempotency-key"));
    }

    @Test
    void aCallStillRateLimitedAfterThreeWaitsFailsWithTheGatewaysProblem() {
        for (int i = 0; i < 4; i++) {
            replies.add(new Reply(429, "application/problem+json", problem(429, "rate-limited")));
        }

        Cli.Result set = cli().run("set", "-p", "shop", "K=v");

        assertThat(set.exit()).isNotZero();
        assertThat(set.err()).contains("rate-limited");
        assertThat(requests).hasSize(4);
    }

    @Test
    void twoUnavailableAnswersExitSix() {
        replies.add(new Reply(503, "application/problem+json", problem(503, "value-store-unavailable")));
        replies.add(new Reply(503, "application/problem+json", problem(503, "value-store-unavailable")));

        Cli.Result set = cli().run("set", "-p", "shop", "K=v");

        assertThat(set.exit()).isEqualTo(6);
        assertThat(set.err()).contains("value-store-unavailable");
        assertThat(requests).hasSize(2);
    }

    @Test
    void everyWriteHasItsOwnIdempotencyKeyAndReadsHaveNone() {
        replies.add(new Reply(204, "application/json", ""));
        replies.add(new Reply(204, "application/json", ""));
        replies.add(new Reply(200, "application/json", "{\"secrets\":[]}"));

        assertThat(cli().run("delete", "-p", "shop", "A", "B").exit()).isZero();
        assertThat(cli().run("list", "-p", "shop").exit()).isZero();

        assertThat(requests).extracting(Recorded::method).containsExactly("DELETE", "DELETE", "GET");
        assertThat(requests.get(0).header("Idempotency-key"))
                .isNotEqualTo(requests.get(1).header("Idempotency-key"));
        assertThat(requests.get(2).header("Idempotency-key")).isNull();
        assertThat(requests)
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer stub-token"));
    }

    @Test
    void importSendsTheFileAsPlainTextWithTheWriteOptionsAndPrintsTheListsThatArePresent() throws IOException {
        Path file = Files.createTempFile("stub", ".env");
        Files.writeString(file, "A=1\nB=\"" + CANARY + "\"\n");
        replies.add(
                new Reply(
                        200,
                        "application/json",
                        "{\"changeSetId\":null,\"scope\":\"/v1/projects/shop/services/api\","
                                + "\"created\":[\"B\"],\"updated\":[\"A\"],\"dryRun\":true,\"replayed\":false,"
                                + "\"restarts\":[{\"environment\":\"production\",\"service\":\"api\",\"keys\":[\"A\",\"B\"]}]}"));

        Cli.Result dryRun =
                cli().run("import", "-p", "shop", "-s", "api", "-f", file.toString(), "--dry-run", "--no-restart");

        assertThat(dryRun.exit()).as(dryRun.toString()).isZero();
        Recorded sent = requests.get(0);
        assertThat(sent.path()).isEqualTo("/v1/projects/shop/services/api/import?dryRun=true&restart=none");
        assertThat(sent.header("Content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(sent.body()).isEqualTo("A=1\nB=\"" + CANARY + "\"\n");
        assertThat(dryRun.lines())
                .containsExactly(
                        "CHANGE   KEY",
                        "created  B",
                        "updated  A",
                        "",
                        "RESTART ENVIRONMENT  SERVICE  KEYS",
                        "production           api      A,B");
        assertThat(dryRun.out() + dryRun.err()).doesNotContain(CANARY);
    }

    @Test
    void aValueThatStartsWithAtIsSentAsTypedNotReplacedByTheFileItNames() throws IOException {
        Path file = Files.createTempFile("stub", ".txt");
        Files.writeString(file, CANARY);
        replies.add(new Reply(201, "application/json", "{\"key\":\"K\",\"operation\":\"create\",\"version\":1}"));

        Cli.Result set = cli().run("set", "-p", "shop", "-k", "K", "-v", "@" + file);

        assertThat(set.exit()).as(set.toString()).isZero();
        assertThat(requests.get(0).body()).isEqualTo("{\"value\":\"@" + file + "\"}");
    }

    @Test
    void anAnswerThatIsNotTheGatewaysIsReportedByStatusWithoutItsBody() {
        replies.add(new Reply(502, "text/html", "<html>bad gateway " + CANARY + "</html>"));
        replies.add(new Reply(502, "text/html", "<html>bad gateway " + CANARY + "</html>"));

        Cli.Result list = cli().run("list", "-p", "shop", "-o", "json");

        assertThat(list.exit()).isEqualTo(6);
        assertThat(list.err()).contains("HTTP 502");
        assertThat(list.out() + list.err()).doesNotContain(CANARY);
    }

    @Test
    void aGatewayBehindAPathPrefixIsReachedAndUserInputCannotChangeThePath() {
        replies.add(new Reply(200, "application/json", "{\"secrets\":[]}"));

        Cli.Result list = Cli.of(address() + "/vaultgate/", "stub-token").run("list", "-p", "../admin?x=1");

        assertThat(list.exit()).isZero();
        assertThat(requests.get(0).path()).isEqualTo("/vaultgate/v1/projects/..%2Fadmin%3Fx%3D1/secrets");
    }

    @Test
    void flagsOverrideTheEnvironment() {
        replies.add(new Reply(200, "application/json", "{\"secrets\":[]}"));

        Cli.Result list = Cli.of("http://127.0.0.1:1", "env-token")
                .run("list", "-p", "shop", "--addr", address(), "--token", "flag-token");

        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer flag-token");
    }

    @Test
    void setTakesTheKeyInAPairOrAsAnOption() throws IOException {
        Path file = Files.createTempFile("stub", ".txt");
        Files.writeString(file, "v");

        eachSends(
                "PUT /v1/projects/shop/secrets/K {\"value\":\"v\"}",
                WRITTEN,
                "set -p shop K=v",
                "set -p shop -k K -v v",
                "set -p shop --key K --value v",
                "set -p shop -k K --from-file " + file);
    }

    @Test
    void deleteTakesTheKeyAsAnArgumentOrAsAnOption() {
        eachSends(
                "DELETE /v1/projects/shop/secrets/K?force=true",
                new Reply(204, "application/json", ""),
                "delete -p shop K --force",
                "delete -p shop -k K --force",
                "delete -p shop --key K --force");
    }

    @Test
    void historyTakesTheKeyAsAnArgumentOrAsAnOption() {
        eachSends(
                "GET /v1/projects/shop/secrets/K/versions",
                new Reply(200, "application/json", "{\"currentVersion\":1,\"versions\":[]}"),
                "history -p shop K",
                "history -p shop -k K",
                "history -p shop --key K");
    }

    @Test
    void rollbackTakesTheKeyAsAnArgumentOrAsAnOption() {
        eachSends(
                "POST /v1/projects/shop/secrets/K/rollback {\"version\":2}",
                WRITTEN,
                "rollback -p shop K --to 2",
                "rollback -p shop -k K --to 2",
                "rollback -p shop --key K --to 2");
    }

    @Test
    void impactTakesTheKeyInAPairOrAsAnOptionAsSetDoes() throws IOException {
        Path file = Files.createTempFile("stub", ".txt");
        Files.writeString(file, "v");

        eachSends(
                "PUT /v1/projects/shop/secrets/K?dryRun=true {\"value\":\"v\"}",
                new Reply(200, "application/json", "{\"restarts\":[]}"),
                "impact -p shop K=v",
                "impact -p shop -k K -v v",
                "impact -p shop --key K --value v",
                "impact -p shop -k K --from-file " + file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "HUP"})
    void runPassesSignalsOnToTheCommandAndExitsWithItsCode(String signal) throws Exception {
        replies.add(new Reply(
                200, "application/json", "{\"GREETING\":\"hello from the gateway\"}", "\"" + "0a".repeat(32) + "\""));
        Path folder = Files.createTempDirectory("vaultgate-run");
        Path ready = folder.resolve("ready");
        Path seen = folder.resolve("seen");
        String script = "trap 'printf %s \"$GREETING\" > " + seen + "; exit 42' " + signal + "; touch " + ready
                + "; while true; do sleep 0.1; done";
        // A JVM of its own: signals to this test's JVM would hit the test runner.
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        VaultgateCli.class.getName(),
                        "run",
                        "--",
                        "sh",
                        "-c",
                        script)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(folder.resolve("output").toFile());
        builder.environment().put("VAULTGATE_ADDR", address());
        builder.environment().put("VAULTGATE_TOKEN", "stub-token");
        Process cli = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(ready) && System.nanoTime() < deadline && cli.isAlive()) {
            Thread.sleep(50);
        }
        assertThat(ready).as(Files.readString(folder.resolve("output"))).exists();

        // To the CLI only, as a supervisor would send it; the CLI passes it on.
        new ProcessBuilder("kill", "-s", signal, Long.toString(cli.pid()))
                .inheritIO()
                .start()
                .waitFor();

        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).isEqualTo(42);
        assertThat(Files.readString(seen)).isEqualTo("hello from the gateway");
    }

    /** Each command line (split at blanks), answered {@code reply}, succeeds with exactly {@code request}. */
    private void eachSends(String request, Reply reply, String... commandLines) {
        for (String commandLine : commandLines) {
            requests.clear();
            replies.add(reply);

            Cli.Result result = cli().run(commandLine.split(" "));

            assertThat(result.exit()).as(commandLine + "\n" + result).isZero();
            assertThat(requests).as(commandLine).extracting(Recorded::request).containsExactly(request);
        }
    }

    private Cli cli() {
        return Cli.of(address(), "stub-token");
    }

    private String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Recorded(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null
                                ? ""
                                : "?" + exchange.getRequestURI().getRawQuery()),
                Map.copyOf(exchange.getRequestHeaders()),
                body));
        Reply reply = replies.poll();
        if (reply == null) {
            reply = new Reply(500, "application/problem+json", problem(500, "internal-error"));
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        if (reply.etag() != null) {
            exchange.getResponseHeaders().set("ETag", reply.etag());
        }
        if (reply.status() == 429) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        exchange.sendResponseHeaders(reply.status(), reply.status() == 204 ? -1 : bytes.length);
        if (reply.status() != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static String problem(int status, String code) {
        return "{\"status\":" + status + ",\"code\":\"" + code + "\",\"detail\":\"stub " + code + "\"}";
    }
}
