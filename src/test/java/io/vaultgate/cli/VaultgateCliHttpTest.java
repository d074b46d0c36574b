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

    private static final Reply STAGED = new Reply(
            202,
            "application/json",
            "{\"changeSet\":\"cs1\",\"revision\":3,\"scope\":\"/v1/projects/shop/environments/production\","
                    + "\"operations\":[{\"key\":\"K\",\"operation\":\"set\"}],\"staged\":true}");
    private static final String DRAFT = "{\"id\":\"cs1\",\"description\":\"Rotate keys\",\"state\":\"draft\","
            + "\"author\":{\"accessor\":\"acc1\",\"displayName\":\"alice\"},\"revision\":3,"
            + "\"operations\":[{\"scope\":\"/v1/projects/shop\",\"key\":\"DB_PASSWORD\",\"operation\":\"set\","
            + "\"reviewedVersion\":2},{\"scope\":\"/v1/projects/shop/environments/production/services/api\","
            + "\"key\":\"OLD_FLAG\",\"operation\":\"delete\",\"reviewedVersion\":0}],"
            + "\"approvals\":[{\"by\":{\"accessor\":\"acc2\",\"displayName\":\"bob\"},\"revision\":2,"
            + "\"at\":\"2026-12-06T23:00:00Z\",\"current\":false}],"
            + "\"approval\":{\"required\":1,\"granted\":0,\"satisfied\":false,"
            + "\"rule\":[{\"environmentType\":\"production\",\"approvals\":1,\"authorMayApprove\":false}]},"
            + "\"impact\":{\"computedAt\":\"2026-12-07T00:00:00.123Z\",\"deployments\":[{\"environment\":"
            + "\"production\",\"service\":\"api\",\"keys\":[\"DB_PASSWORD\",\"OLD_FLAG\"]}],"
            + "\"conflicts\":[{\"scope\":\"/v1/projects/shop\",\"key\":\"DB_PASSWORD\",\"reviewedVersion\":2,"
            + "\"currentVersion\":3}]}}";

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

    @Test
    void changeSetAddStagesThroughTheWriteRoutesAsSetDeleteAndImportWithTheDraftsId() throws IOException {
        Path value = Files.createTempFile("stub", ".txt");
        Files.writeString(value, "v");
        Path dotenv = Files.createTempFile("stub", ".env");
        Files.writeString(dotenv, "A=1\n");

        eachSends(
                "PUT /v1/projects/shop/environments/production/secrets/K?changeSet=cs1 {\"value\":\"v\"}",
                STAGED,
                "change-set add -p shop -e production cs1 K=v",
                "change-set add -p shop -e production cs1 -k K -v v",
                "change-set add -p shop -e production cs1 -k K --from-file " + value,
                "set -p shop -e production --change-set cs1 K=v");
        eachSends(
                "POST /v1/projects/shop/services/api/import?changeSet=cs1 {\"A\":\"1\",\"B\":\"2\"}",
                STAGED,
                "change-set add -p shop -s api cs1 A=1 B=2",
                "set -p shop -s api --change-set cs1 A=1 B=2");
        eachSends(
                "POST /v1/projects/shop/environment-types/production/import?changeSet=cs1 A=1\n",
                STAGED,
                "change-set add -p shop -t production cs1 -f " + dotenv,
                "import -p shop -t production --change-set cs1 -f " + dotenv);
        eachSends(
                "DELETE /v1/projects/shop/secrets/K?changeSet=cs1&force=true",
                STAGED,
                "change-set add -p shop cs1 --delete K --force",
                "delete -p shop --change-set cs1 K --force");
        eachSends(
                "POST /v1/projects/shop/secrets/K/rollback?changeSet=cs1 {\"version\":2}",
                STAGED,
                "rollback -p shop --change-set cs1 K --to 2");
    }

    @Test
    void aStagedWriteShowsTheDraftsOperationsAndSaysNothingChangedYet() {
        replies.add(STAGED);

        Cli.Result staged =
                cli().withStdin(CANARY).run("change-set", "add", "-p", "shop", "-e", "production", "cs1", "K=-");

        assertThat(staged.exit()).as(staged.toString()).isZero();
        assertThat(requests.get(0).body()).isEqualTo("{\"value\":\"" + CANARY + "\"}");
        assertThat(staged.lines())
                .containsExactly(
                        "KEY  OPERATION  SCOPE           CHANGE-SET DRAFT", "K    set        env:production  cs1");
        assertThat(staged.err()).contains("Staged into change-set cs1 (revision 3)", "nothing changes until");
        assertThat(staged.out() + staged.err()).doesNotContain(CANARY);
    }

    @Test
    void aDryRunOrNoRestartWithAChangeSetIsAUsageErrorAndSendsNothing() {
        Cli.Result dryRun = cli().run("set", "-p", "shop", "--change-set", "cs1", "--dry-run", "K=v");
        Cli.Result noRestart = cli().run("delete", "-p", "shop", "--change-set", "cs1", "--no-restart", "K");

        assertThat(dryRun.exit()).isEqualTo(2);
        assertThat(dryRun.err()).contains("--dry-run does not go with --change-set");
        assertThat(noRestart.exit()).isEqualTo(2);
        assertThat(noRestart.err()).contains("--no-restart does not go with --change-set");
        assertThat(requests).isEmpty();
    }

    @Test
    void eachDraftActionIsAPostOrADeleteOfTheDraft() {
        Reply draft = new Reply(200, "application/json", DRAFT);
        eachSends("GET /v1/projects/shop/change-sets/cs1", draft, "change-set show -p shop cs1");
        eachSends(
                "GET /v1/projects/shop/change-sets?state=released",
                listReply(),
                "change-set list -p shop --state released");
        eachSends("POST /v1/projects/shop/change-sets/cs1/approve {}", draft, "change-set approve -p shop cs1");
        eachSends("POST /v1/projects/shop/change-sets/cs1/reject {}", draft, "change-set reject -p shop cs1");
        eachSends("POST /v1/projects/shop/change-sets/cs1/release {}", draft, "change-set release -p shop cs1");
        eachSends(
                "POST /v1/projects/shop/change-sets/cs1/release {\"notBefore\":\"2026-12-08T02:00:00Z\"}",
                new Reply(202, "application/json", DRAFT),
                "change-set release -p shop cs1 --not-before 2026-12-08T02:00:00Z");
        eachSends(
                "DELETE /v1/projects/shop/change-sets/cs1",
                new Reply(204, "application/json", ""),
                "change-set discard -p shop cs1");
    }

    @Test
    void createPrintsTheIdAloneSoAScriptCanKeepIt() {
        replies.add(new Reply(201, "application/json", DRAFT));

        Cli.Result created = cli().run("change-set", "create", "-p", "shop", "-m", "Rotate keys");

        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).isEqualTo("cs1\n");
        assertThat(requests.get(0).body()).isEqualTo("{\"description\":\"Rotate keys\"}");
    }

    @Test
    void showPrintsOperationsApprovalsImpactAndConflicts() {
        replies.add(new Reply(200, "application/json", DRAFT));

        Cli.Result show = cli().run("change-set", "show", "-p", "shop", "cs1");

        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.lines())
                .containsSubsequence(
                        "ID   STATE  REVISION  AUTHOR  DESCRIPTION",
                        "cs1  draft  3         alice   Rotate keys",
                        "OPERATION  KEY          SCOPE                   REVIEWED VERSION",
                        "set        DB_PASSWORD  project                 2",
                        "delete     OLD_FLAG     env:production/svc:api  0",
                        "Approvals: 0 of 1 required (not yet satisfied); rule: production needs 1",
                        "APPROVED BY  REVISION  AT                    COUNTS",
                        "bob          2         2026-12-06T23:00:00Z  no: the draft changed since",
                        "Impact, computed at 2026-12-07T00:00:00Z:",
                        "RESTART ENVIRONMENT  SERVICE  KEYS",
                        "production           api      DB_PASSWORD,OLD_FLAG",
                        "CONFLICT KEY  SCOPE    REVIEWED VERSION  CURRENT VERSION",
                        "DB_PASSWORD   project  2                 3");
    }

    @Test
    void aRefusedApprovalExitsFiveWithTheProblemsDetailAndCode() {
        replies.add(new Reply(403, "application/problem+json", problem(403, "approval-not-allowed")));

        Cli.Result refused = cli().run("change-set", "approve", "-p", "shop", "cs1", "-o", "json");

        assertThat(refused.exit()).isEqualTo(5);
        assertThat(refused.err()).contains("stub approval-not-allowed [approval-not-allowed]");
        assertThat(refused.json().path("code").asText()).isEqualTo("approval-not-allowed");
    }

    @Test
    void aReleaseShortOfApprovalsOrInConflictExitsFour() {
        replies.add(new Reply(409, "application/problem+json", problem(409, "approval-required")));
        replies.add(new Reply(409, "application/problem+json", problem(409, "change-set-conflict")));

        Cli.Result unapproved = cli().run("change-set", "release", "-p", "shop", "cs1");
        Cli.Result conflicting = cli().run("change-set", "release", "-p", "shop", "cs1");

        assertThat(unapproved.exit()).isEqualTo(4);
        assertThat(unapproved.err()).contains("[approval-required");
        assertThat(conflicting.exit()).isEqualTo(4);
        assertThat(conflicting.err()).contains("[change-set-conflict");
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

    private static Reply listReply() {
        return new Reply(200, "application/json", "{\"changeSets\":[]}");
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
