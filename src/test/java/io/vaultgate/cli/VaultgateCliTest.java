package io.vaultgate.cli;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.vaultgate.ApiClient;
import io.vaultgate.dotenv.Dotenv;
import io.vaultgate.scope.Scope;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.VersionedEntry;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * The CLI end to end against a gateway on its embedded default (dev mode), run in-process as a
 * script would run it: arguments, stdin, stdout, stderr and exit codes. Each test works in a
 * project of its own. Values are checked where they land, in the value store.
 */
@MicronautTest(environments = "dev", transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VaultgateCliTest implements TestPropertyProvider {

    private static final String CANARY = "cli-canary-5b1e";
    private static final AtomicInteger PROJECTS = new AtomicInteger();

    private final Path dataDir = tempDir("vaultgate-cli-test");
    private final Path work = tempDir("vaultgate-cli-work");

    @Inject
    EmbeddedServer server;

    @Inject
    SecretValueStore store;

    private ApiClient api;
    private Cli cli;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("vaultgate.dev.data-dir", dataDir.toString(), "micronaut.server.port", "-1");
    }

    @BeforeAll
    void connect() throws IOException {
        String token = Files.readString(dataDir.resolve("admin-token")).trim();
        api = new ApiClient(URI.create(server.getURL().toString()), token);
        cli = Cli.of(server.getURL().toString(), token);
    }

    @Test
    void setThenListShowsKeysAndVersionsUnderAHeaderAndNeverTheValue() {
        String project = newProject();

        Cli.Result set = cli.run("set", "-p", project, "DATABASE_URL=" + CANARY);
        Cli.Result list = cli.run("list", "-p", project);

        assertThat(set.exit()).as(set.toString()).isZero();
        assertThat(set.lines().get(0)).startsWith("KEY").contains("OPERATION", "VERSION", "CHANGE SET");
        assertThat(set.out()).contains("DATABASE_URL", "create").doesNotContain(CANARY);
        assertThat(list.exit()).isZero();
        assertThat(list.lines().get(0)).matches("KEY +VERSION +UPDATED +LAST ACCESSED +USAGE");
        assertThat(list.lines().get(1)).startsWith("DATABASE_URL").contains(" 1 ");
        assertThat(list.out() + list.err() + set.err()).doesNotContain(CANARY);
        assertThat(stored(Scope.project(project), "DATABASE_URL")).isEqualTo(CANARY);
    }

    @Test
    void setOfSeveralKeysIsOneChangeSetAndJsonOutputIsTheGatewaysAnswer() {
        String project = newProject();

        Cli.Result set = cli.run("set", "-p", project, "-e", "production", "A=1", "B=2", "-o", "json");

        assertThat(set.exit()).as(set.toString()).isZero();
        JsonNode answer = set.json();
        assertThat(answer.path("changeSetId").asText()).isNotBlank();
        assertThat(answer.path("created")).extracting(JsonNode::asText).containsExactly("A", "B");
        assertThat(stored(Scope.environment(project, "production"), "B")).isEqualTo("2");
        JsonNode listed = cli.run("list", "-p", project, "-e", "production", "--output", "json")
                .json();
        assertThat(listed.path("secrets"))
                .extracting(secret -> secret.path("key").asText())
                .containsExactly("A", "B");
    }

    @Test
    void setReadsAValueFromStandardInputOrAFileByteForByte() throws IOException {
        String project = newProject();
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\u00e9 \"quoted\" $NOT_EXPANDED\n-----END CERTIFICATE-----\n";
        Path file = Files.writeString(
                work.resolve(project + ".pem"), pem + "no newline at the end", StandardCharsets.UTF_8);

        assertThat(cli.withStdin(pem)
                        .run("set", "-p", project, "-s", "api", "TLS_CERT=-")
                        .exit())
                .isZero();
        assertThat(cli.run("set", "-p", project, "-s", "api", "-k", "FROM_FILE", "--from-file", file.toString())
                        .exit())
                .isZero();
        assertThat(cli.withStdin("  spaces kept\n\n")
                        .run("set", "-p", project, "-s", "api", "-k", "FROM_V", "-v", "-")
                        .exit())
                .isZero();

        Scope service = Scope.service(project, "api");
        assertThat(stored(service, "TLS_CERT")).isEqualTo(pem);
        assertThat(stored(service, "FROM_FILE")).isEqualTo(pem + "no newline at the end");
        assertThat(stored(service, "FROM_V")).isEqualTo("  spaces kept\n\n");
    }

    @Test
    void aVersionConflictExitsFourAndPrintsTheProblemAsJsonOnStdout() {
        String project = newProject();
        cli.run("set", "-p", project, "K=one");

        Cli.Result conflict = cli.run("set", "-p", project, "K=" + CANARY, "--expected-version", "0", "-o", "json");

        assertThat(conflict.exit()).isEqualTo(4);
        assertThat(conflict.json().path("code").asText()).isEqualTo("version-conflict");
        assertThat(conflict.err()).startsWith("vaultgate: ").contains("version-conflict");
        assertThat(conflict.out() + conflict.err()).doesNotContain(CANARY);
        assertThat(stored(Scope.project(project), "K")).isEqualTo("one");
    }

    @Test
    void importingHostileDotenvFilesLandsExactlyWhatTheParserReads() throws Exception {
        for (String name : List.of(
                "hostile-shell.env",
                "multiline-quoted.env",
                "unicode.env",
                "interpolation.env",
                "crlf.env",
                "bom.env",
                "double-quote-deviations.env",
                "hash-in-value.env",
                "duplicates.env",
                "equals-in-value.env",
                "whitespace.env")) {
            String project = newProject();
            Path file = corpus(name);

            Cli.Result imported = cli.run("import", "-p", project, "-e", "production", "-f", file.toString());

            assertThat(imported.exit()).as(name + ": " + imported).isZero();
            Map<String, String> expected = Dotenv.parse(Files.readString(file, StandardCharsets.UTF_8));
            assertThat(storedAll(Scope.environment(project, "production")))
                    .as(name)
                    .isEqualTo(expected);
        }
    }

    @Test
    void anImportWithOneBadLineWritesNothingAndNamesTheLineButNotTheValue() throws IOException {
        String project = newProject();
        Path file = Files.writeString(
                work.resolve(project + ".env"),
                "GOOD=1\nexport ALSO_GOOD='x'\nBROKEN=\"" + CANARY + "\n# never closed\n");

        Cli.Result refused = cli.run("import", "-p", project, "-f", file.toString(), "-o", "json");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.json().path("code").asText()).isEqualTo("invalid-dotenv");
        assertThat(refused.json().path("line").asInt()).isEqualTo(3);
        assertThat(refused.err()).contains("Line 3", "BROKEN", "invalid-dotenv");
        assertThat(refused.out() + refused.err()).doesNotContain(CANARY);
        assertThat(storedAll(Scope.project(project))).isEmpty();
    }

    @Test
    void importDryRunListsWhatWouldChangeAndChangesNothing() throws IOException {
        String project = newProject();
        cli.run("set", "-p", project, "SAME=1", "OLD=1");
        Path file = Files.writeString(work.resolve(project + ".env"), "SAME=1\nOLD=2\nNEW=3\n");

        Cli.Result dryRun = cli.run("import", "-p", project, "-f", file.toString(), "--dry-run");

        assertThat(dryRun.exit()).as(dryRun.toString()).isZero();
        assertThat(dryRun.lines()).contains("CHANGE     KEY", "created    NEW", "updated    OLD", "unchanged  SAME");
        assertThat(dryRun.err()).contains("Dry run", "nothing changed");
        assertThat(storedAll(Scope.project(project)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("SAME", "1", "OLD", "1"));
        JsonNode json = cli.run("import", "-p", project, "-f", file.toString(), "--dry-run", "-o", "json")
                .json();
        assertThat(json.path("dryRun").asBoolean()).isTrue();
        assertThat(json.path("created")).extracting(JsonNode::asText).containsExactly("NEW");
    }

    @Test
    void historyShowsEveryVersionAndRollbackRestoresAnOldValueAsANewVersion() {
        String project = newProject();
        cli.run("set", "-p", project, "-t", "production", "K=one");
        cli.run("set", "-p", project, "-t", "production", "K=two");

        Cli.Result rollback = cli.run("rollback", "-p", project, "-t", "production", "K", "--to", "1");
        Cli.Result history = cli.run("history", "-p", project, "-t", "production", "K");

        assertThat(rollback.exit()).as(rollback.toString()).isZero();
        assertThat(stored(Scope.environmentType(project, io.vaultgate.scope.EnvironmentType.PRODUCTION), "K"))
                .isEqualTo("one");
        assertThat(history.lines().get(0)).matches("VERSION +CREATED +BY +CHANGE SET +STATE");
        assertThat(history.lines()).hasSize(4);
        assertThat(history.out()).contains("current");
        JsonNode versions = cli.run("history", "-p", project, "-t", "production", "K", "-o", "json")
                .json();
        assertThat(versions.path("currentVersion").asInt()).isEqualTo(3);
    }

    @Test
    void deleteRemovesKeysAndASecondDeleteIsNotFound() {
        String project = newProject();
        cli.run("set", "-p", project, "-e", "production", "-s", "api", "A=1", "B=2", "C=3");

        Cli.Result deleted = cli.run("delete", "-p", project, "-e", "production", "-s", "api", "A", "B");
        Cli.Result again = cli.run("delete", "-p", project, "-e", "production", "-s", "api", "A");

        assertThat(deleted.exit()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("A ", "B ");
        assertThat(storedAll(Scope.serviceInEnvironment(project, "production", "api")))
                .containsOnlyKeys("C");
        assertThat(again.exit()).isEqualTo(3);
    }

    @Test
    void exitCodesFollowTheDocumentedContract() throws IOException {
        String project = newProject();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThat(cli.run("no-such-command").exit()).as("usage").isEqualTo(2);
        assertThat(cli.run("list").exit()).as("usage: no project").isEqualTo(2);
        assertThat(cli.run("set", "-p", project).exit())
                .as("usage: nothing to set")
                .isEqualTo(2);
        assertThat(cli.run("set", "-p", project, CANARY).err())
                .as("a bare argument is not echoed")
                .doesNotContain(CANARY);
        assertThat(cli.run("list", "-p", project, "-t", "production", "-e", "production")
                        .exit())
                .as("usage")
                .isEqualTo(2);
        assertThat(cli.run("list", "-p", "no-such-project").exit())
                .as("not found")
                .isEqualTo(3);
        assertThat(cli.run("history", "-p", project, "NO_SUCH_KEY").exit())
                .as("not found")
                .isEqualTo(3);
        assertThat(cli.run("set", "-p", project, "lower=1").exit())
                .as("invalid name")
                .isEqualTo(1);
        assertThat(cli.withToken("not-a-token").run("list", "-p", project).exit())
                .as("auth")
                .isEqualTo(5);
        assertThat(Cli.of(server.getURL().toString(), null)
                        .run("list", "-p", project)
                        .exit())
                .as("no token")
                .isEqualTo(5);
        Cli.Result unreachable = Cli.of("http://127.0.0.1:" + closedPort, "t").run("list", "-p", project);
        assertThat(unreachable.exit()).as("unavailable").isEqualTo(6);
        assertThat(unreachable.err()).contains("Cannot reach the gateway");
        assertThat(cli.run("list", "-p", project).exit()).as("ok").isZero();
    }

    @Test
    void runGivesTheCommandItsDeploymentsEnvironmentAndPassesItsExitCodeThrough() throws IOException {
        String project = newProject();
        String value = CANARY + " with 'quotes', $dollars and\na newline";
        cli.withStdin(value).run("set", "-p", project, "DATABASE_URL=-");
        cli.run("set", "-p", project, "-e", "production", "LEVEL=environment");
        JsonNode minted = cli.run(
                        "token", "create", "-p", project, "-e", "production", "-s", "api", "--ttl", "5m", "-o", "json")
                .json();
        Path seen = work.resolve(project + ".seen");

        Cli.Result run = cli.withToken(minted.path("token").asText())
                .run(
                        "run",
                        "--",
                        "sh",
                        "-c",
                        "printf '%s|%s|%s' \"$DATABASE_URL\" \"$LEVEL\" \"$HOME\" > '" + seen + "'; exit 3");

        assertThat(run.exit()).as(run.toString()).isEqualTo(3);
        assertThat(Files.readString(seen)).isEqualTo(value + "|environment|" + System.getenv("HOME"));
        assertThat(run.out() + run.err()).doesNotContain(CANARY);
        assertThat(cli.withToken(minted.path("token").asText())
                        .run("run", "no-such-command-anywhere")
                        .exit())
                .isEqualTo(127);
    }

    @Test
    void anOperatorTokenCannotRunAndAWorkloadTokenCannotList() {
        String project = newProject();
        JsonNode minted = cli.run("token", "create", "-p", project, "-e", "production", "-s", "api", "-o", "json")
                .json();

        assertThat(cli.run("run", "true").exit()).isEqualTo(5);
        assertThat(cli.withToken(minted.path("token").asText())
                        .run("list", "-p", project)
                        .exit())
                .isEqualTo(5);
        assertThat(cli.run("token", "revoke", minted.path("accessor").asText()).exit())
                .isZero();
        assertThat(cli.withToken(minted.path("token").asText())
                        .run("run", "true")
                        .exit())
                .isEqualTo(5);
    }

    @Test
    void checkExitsSevenListingTheRequiredKeysADeploymentLacks() {
        String project = newProject();
        assertThat(api.put(
                                "/v1/projects/" + project + "/services/api/requirements",
                                json("keys", List.of("DATABASE_URL", "API_KEY")))
                        .status())
                .isEqualTo(200);
        cli.run("set", "-p", project, "DATABASE_URL=x");

        Cli.Result missing = cli.run("check", "-p", project, "-e", "production", "-s", "api");
        cli.run("set", "-p", project, "-e", "production", "-s", "api", "API_KEY=y");
        Cli.Result complete = cli.run("check", "-p", project, "-e", "production", "-s", "api");

        assertThat(missing.exit()).as(missing.toString()).isEqualTo(7);
        assertThat(missing.lines()).contains("API_KEY       missing", "DATABASE_URL  ok");
        assertThat(missing.err()).contains("API_KEY");
        assertThat(complete.exit()).isZero();
    }

    @Test
    void impactListsWhoWouldRestartAndChangesNothing() {
        String project = newProject();
        cli.run("set", "-p", project, "LEVEL=project");

        Cli.Result impact = cli.run("impact", "-p", project, "LEVEL=changed");

        assertThat(impact.exit()).as(impact.toString()).isZero();
        assertThat(impact.lines()).hasSize(2);
        assertThat(impact.lines().get(1)).matches("production +api +LEVEL");
        assertThat(stored(Scope.project(project), "LEVEL")).isEqualTo("project");
    }

    @Test
    void hooksCanBeAddedListedInspectedAndRemovedAndEventsTailed() {
        String project = newProject();
        cli.run("set", "-p", project, "A=1");
        // Hooks may target this machine only (a closed port), never an outside address.
        Cli.Result opened = cli.run("hooks", "networks", "set", "-p", project, "127.0.0.1/32");
        assertThat(opened.exit()).as(opened.toString()).isZero();

        JsonNode hook = cli.run(
                        "hooks",
                        "add",
                        "-p",
                        project,
                        "--url",
                        "http://127.0.0.1:9/hook",
                        "-e",
                        "production",
                        "-o",
                        "json")
                .json();
        Cli.Result listed = cli.run("hooks", "list", "-p", project);
        Cli.Result deliveries =
                cli.run("hooks", "deliveries", "-p", project, hook.path("id").asText());
        Cli.Result removed =
                cli.run("hooks", "remove", "-p", project, hook.path("id").asText());
        Cli.Result events = cli.run("events", "tail", "-p", project, "--once", "--wait", "0", "-o", "json");

        assertThat(hook.path("secret").asText()).isNotBlank();
        assertThat(listed.out()).contains(hook.path("id").asText(), "http://127.0.0.1:9/hook", "production");
        assertThat(deliveries.exit()).isZero();
        assertThat(removed.exit()).isZero();
        assertThat(cli.run("hooks", "list", "-p", project).out())
                .doesNotContain(hook.path("id").asText());
        assertThat(events.exit()).as(events.toString()).isZero();
        List<JsonNode> lines = events.lines().stream()
                .map(line -> new Cli.Result(0, line, "").json())
                .toList();
        assertThat(lines)
                .isNotEmpty()
                .allSatisfy(event -> assertThat(event.path("cursor").asLong()).isPositive());
        assertThat(lines)
                .anySatisfy(event -> assertThat(event.path("keys"))
                        .extracting(JsonNode::asText)
                        .containsExactly("A"));
    }

    @Test
    void hookNetworksAreSetAndShownAndABadEntryExitsOneNamingItsPosition() {
        String project = newProject();

        Cli.Result set = cli.run("hooks", "networks", "set", "-p", project, "10.0.0.0/8", "Deploy.Internal");
        Cli.Result shown = cli.run("hooks", "networks", "show", "-p", project, "-o", "json");
        Cli.Result refused = cli.run("hooks", "networks", "set", "-p", project, "10.0.0.0/8", "169.254.0.0/16");
        Cli.Result cleared = cli.run("hooks", "networks", "set", "-p", project);

        assertThat(set.exit()).as(set.toString()).isZero();
        assertThat(set.lines()).containsExactly("NETWORK", "10.0.0.0/8", "deploy.internal");
        assertThat(shown.json().path("allowedPrivate"))
                .extracting(JsonNode::asText)
                .containsExactly("10.0.0.0/8", "deploy.internal");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("invalid-hook-network", "allowedPrivate[1]");
        assertThat(cleared.exit()).isZero();
        assertThat(cli.run("hooks", "networks", "show", "-p", project).lines()).containsExactly("NETWORK");
    }

    @Test
    void everyCommandHasHelpWithAnExampleAndTheExitCodes() {
        List<String> commands = new ArrayList<>();
        CommandLine all = new CommandLine(new VaultgateCli(null));
        VaultgateCli.addCommands(all, new String[0]);
        collect(all, "", commands);

        assertThat(commands)
                .contains(
                        "set",
                        "list",
                        "delete",
                        "import",
                        "history",
                        "rollback",
                        "change-set create",
                        "change-set list",
                        "change-set show",
                        "change-set add",
                        "change-set approve",
                        "change-set reject",
                        "change-set release",
                        "change-set discard",
                        "token create",
                        "token revoke",
                        "check",
                        "impact",
                        "diff",
                        "hooks add",
                        "hooks list",
                        "hooks remove",
                        "hooks deliveries",
                        "hooks networks set",
                        "hooks networks show",
                        "events tail",
                        "run",
                        "completion");
        for (String command : commands) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            Cli.Result help = cli.run(args.toArray(String[]::new));
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out())
                    .as(command)
                    .contains("Usage: vaultgate " + command, "Example", "Exit codes:", "  5   authentication");
        }
    }

    @Test
    void theCommandTableNamesEachCommandAsItsAnnotationDoes() {
        VaultgateCli.COMMANDS.forEach((name, command) -> assertThat(
                        command.getAnnotation(CommandLine.Command.class).name())
                .isEqualTo(name));
    }

    @Test
    void completionPrintsABashCompletionScriptForEveryCommand() {
        Cli.Result completion = cli.run("completion");

        assertThat(completion.exit()).isZero();
        assertThat(completion.out())
                .contains("complete -F", "vaultgate", "rollback", "--expected-version")
                .contains("_picocli_vaultgate_changeset_release", "--not-before", "--change-set");
    }

    @Test
    void completionOffersTheKeyOptionToEveryCommandThatTakesAKey() {
        String completion = cli.run("completion").out();

        for (String command : List.of("set", "delete", "history", "rollback", "impact")) {
            String function = completion.substring(completion.indexOf("function _picocli_vaultgate_" + command + "()"));
            assertThat(function.substring(0, function.indexOf("\n}")))
                    .as(command)
                    .contains("'-k' '--key'");
        }
    }

    private static void collect(CommandLine command, String prefix, List<String> into) {
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                into.add(prefix + name);
                collect(sub, prefix + name + " ", into);
            }
        });
    }

    /** A project with environment production, service api, and that deployment. */
    private String newProject() {
        String project = "cli-" + PROJECTS.incrementAndGet();
        assertThat(api.put("/v1/projects/" + project, null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/" + project + "/environments/production", json("type", "production"))
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/" + project + "/services/api", null).status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/" + project + "/environments/production/services/api", null)
                        .status())
                .isEqualTo(201);
        return project;
    }

    private String stored(Scope scope, String key) {
        return storedAll(scope).get(key);
    }

    private Map<String, String> storedAll(Scope scope) {
        Map<String, String> values = new HashMap<>();
        store.read(EntryPath.of(scope))
                .map(VersionedEntry::values)
                .ifPresent(entry -> entry.forEach((key, value) -> values.put(key, value.plaintext())));
        return values;
    }

    static Path corpus(String name) {
        try {
            return Path.of(
                    VaultgateCliTest.class.getResource("/dotenv-corpus/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
