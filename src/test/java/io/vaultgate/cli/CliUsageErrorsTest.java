package io.vaultgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A command line the CLI cannot use is reported without quoting it: a script may have pasted a
 * secret into a misspelt option, a clustered flag or a stray argument. Each case puts a canary
 * where picocli (or the CLI) used to quote the text, runs the real entry point, and checks that
 * no part of the canary comes back on stdout or stderr, while the message names the option as
 * declared or the position of the argument, and the exit code is the documented one. No case
 * reaches the gateway: the address is a closed port, so a case that parsed would exit 6.
 */
class CliUsageErrorsTest {

    /** Mixed case and digits: no window of it occurs in the usage text by chance. */
    private static final String CANARY = "Zq7xK2vW9pLm3R";

    private static final int USAGE = ExitCode.USAGE.code();

    /** {@code shape} says what goes wrong; {@code names} is what the message must say instead of the canary. */
    record Case(String shape, List<String> args, int exit, String names) {

        @Override
        public String toString() {
            return shape;
        }
    }

    static Stream<Case> cases() throws IOException {
        Path atFile = Files.createTempFile("cli-usage", ".args");
        Files.writeString(atFile, CANARY + "\n");
        atFile.toFile().deleteOnExit();
        return Stream.of(
                new Case(
                        "misspelt option with its value attached",
                        args("set", "--vaule=%s", "-p", "shop"),
                        USAGE,
                        "Unknown option at position 2"),
                new Case(
                        "misspelt option with its value after it",
                        args("set", "-p", "shop", "--vaule", "%s"),
                        USAGE,
                        "Unknown option at position 4"),
                new Case(
                        "unknown option clustered with its text",
                        args("set", "-p", "shop", "--dry-run", "-x%s"),
                        USAGE,
                        "Unknown option at position 5"),
                new Case(
                        "unknown option with a value, after a pair",
                        args("set", "-p", "shop", "K=v", "--%s=1"),
                        USAGE,
                        "Unknown option at position 5"),
                new Case("unknown option of the root", args("--%s", "list"), USAGE, "Unknown option at position 1"),
                new Case(
                        "option value that looks like an option",
                        args("set", "-p", "shop", "-k", "K", "-v", "-p%s"),
                        USAGE,
                        "--value needs a value: --value=VALUE"),
                new Case(
                        "option value missing at the end",
                        args("set", "-p", "%s", "-k", "K", "-v"),
                        USAGE,
                        "--value needs a value: --value=VALUE"),
                new Case(
                        "int option given text",
                        args("token", "create", "-p", "shop", "-e", "production", "-s", "api", "--uses", "%s"),
                        USAGE,
                        "Invalid value for --uses: expected a whole number"),
                new Case(
                        "duration option given text",
                        args("token", "create", "-p", "shop", "-e", "production", "-s", "api", "--ttl", "%s"),
                        USAGE,
                        "--ttl is a duration"),
                new Case(
                        "required int option given text",
                        args("rollback", "-p", "shop", "K", "--to", "%s"),
                        USAGE,
                        "Invalid value for --to: expected a whole number"),
                new Case(
                        "long option given text",
                        args("events", "tail", "-p", "shop", "--after", "%s"),
                        USAGE,
                        "Invalid value for --after: expected a whole number"),
                new Case(
                        "enum option of the root given text",
                        args("-o", "%s", "list", "-p", "shop"),
                        USAGE,
                        "Invalid value for --output: expected one of table, json"),
                new Case(
                        "enum option clustered with its text",
                        args("list", "-p", "shop", "-o%s"),
                        USAGE,
                        "Invalid value for --output: expected one of table, json"),
                new Case(
                        "flag given a value",
                        args("list", "-p", "shop", "--resolved=%s"),
                        USAGE,
                        "Invalid value for --resolved: expected true or false"),
                new Case(
                        "one argument too many",
                        args("history", "-p", "shop", "K", "%s"),
                        USAGE,
                        "Unexpected argument at position 5"),
                new Case(
                        "several arguments too many",
                        args("history", "-p", "shop", "K", "%s", "more"),
                        USAGE,
                        "Unexpected argument at position 5"),
                new Case(
                        "argument past the last positional",
                        args("hooks", "redeliver", "-p", "shop", "a", "b", "%s"),
                        USAGE,
                        "Unexpected argument at position 7"),
                new Case("unknown command", args("%s"), USAGE, "Unknown command at position 1"),
                new Case(
                        "misspelt command before the text",
                        args("lisst", "%s"),
                        USAGE,
                        "Unknown command at position 1"),
                new Case("unknown subcommand", args("token", "%s"), USAGE, "Unknown command at position 2"),
                new Case("help for an unknown command", args("help", "%s"), USAGE, "Unknown command at position 2"),
                new Case(
                        "missing subcommand after a token",
                        args("--token", "%s", "token"),
                        USAGE,
                        "Name a command of vaultgate token: create, revoke"),
                new Case(
                        "option given twice",
                        args("list", "-p", "shop", "-p", "%s"),
                        USAGE,
                        "--project is given twice"),
                new Case(
                        "missing required positional",
                        args("history", "-p", "%s"),
                        USAGE,
                        "Missing KEY: give it as KEY or as -k KEY"),
                new Case(
                        "missing required option",
                        args("rollback", "-p", "shop", "%s"),
                        USAGE,
                        "--to is required: --to=VERSION"),
                new Case(
                        "history: key given both as -k and as KEY",
                        args("history", "-p", "shop", "-k", "K", "%s"),
                        USAGE,
                        "both as -k/--key and as KEY"),
                new Case(
                        "delete: key given both as --key and as KEY",
                        args("delete", "-p", "shop", "%s", "--key", "K"),
                        USAGE,
                        "both as -k/--key and as KEY"),
                new Case(
                        "rollback: key given both as -k and as KEY",
                        args("rollback", "-p", "shop", "--to", "1", "-k", "%s", "K"),
                        USAGE,
                        "both as -k/--key and as KEY"),
                new Case(
                        "set: -k with KEY=VALUE",
                        args("set", "-p", "shop", "-k", "K", "-v", "%s", "A=1"),
                        USAGE,
                        "Give -k KEY with exactly one of -v VALUE and --from-file FILE, and no KEY=VALUE"),
                new Case(
                        "impact: -k with KEY=VALUE",
                        args("impact", "-p", "shop", "-k", "K", "-v", "%s", "A=1"),
                        USAGE,
                        "Give -k KEY with exactly one of -v VALUE and --from-file FILE, and no KEY=VALUE"),
                new Case(
                        "delete: no key",
                        args("delete", "-p", "%s"),
                        USAGE,
                        "Missing KEY: give it as KEY or as -k KEY"),
                new Case(
                        "rollback: no key",
                        args("rollback", "-p", "%s", "--to", "1"),
                        USAGE,
                        "Missing KEY: give it as KEY or as -k KEY"),
                new Case("set: no key", args("set", "-p", "%s"), USAGE, "Nothing to set: give KEY=VALUE, or -k KEY"),
                new Case("impact: no key", args("impact", "-p", "%s"), USAGE, "Give one of: KEY=VALUE..., -k KEY"),
                new Case(
                        "-k given twice",
                        args("history", "-p", "shop", "-k", "K", "-k", "%s"),
                        USAGE,
                        "--key is given twice"),
                new Case(
                        "-k without its key",
                        args("delete", "-p", "%s", "-k"),
                        USAGE,
                        "--key needs a value: --key=KEY"),
                new Case("run without a command", args("--token", "%s", "run"), USAGE, "Missing COMMAND"),
                new Case(
                        "argument file, whose content picocli would read in",
                        args("@" + atFile),
                        USAGE,
                        "Unknown command at position 1"),
                new Case(
                        "bare value where KEY=VALUE goes",
                        args("set", "-p", "shop", "%s"),
                        USAGE,
                        "Argument 1 is not KEY=VALUE"),
                new Case(
                        "json output: misspelt option",
                        args("-o", "json", "set", "--vaule=%s", "-p", "shop"),
                        USAGE,
                        "Unknown option at position 4"),
                new Case(
                        "json output: int option given text",
                        args(
                                "-o",
                                "json",
                                "token",
                                "create",
                                "-p",
                                "shop",
                                "-e",
                                "production",
                                "-s",
                                "api",
                                "--uses",
                                "%s"),
                        USAGE,
                        "Invalid value for --uses"),
                new Case(
                        "json output: one argument too many",
                        args("-o", "json", "history", "-p", "shop", "K", "%s"),
                        USAGE,
                        "Unexpected argument at position 7"),
                new Case(
                        "gateway address with a password in it",
                        args("--addr", "http://user:%s@127.0.0.1:1/", "list", "-p", "shop"),
                        USAGE,
                        "no user:password@"),
                new Case(
                        "gateway address with a query",
                        args("--addr", "http://127.0.0.1:1/?token=%s", "list", "-p", "shop"),
                        USAGE,
                        "no query"),
                new Case(
                        "value file that does not exist",
                        args("set", "-p", "shop", "-k", "K", "--from-file", "/nonexistent/%s"),
                        ExitCode.ERROR.code(),
                        "No such file for --from-file"),
                new Case(
                        ".env file that does not exist",
                        args("import", "-p", "shop", "-f", "/nonexistent/%s"),
                        ExitCode.ERROR.code(),
                        "No such file for --file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aCommandLineTheCliCannotUseIsNeverQuotedBack(Case given) {
        Cli.Result result = cli().run(given.args().toArray(String[]::new));

        assertNoPartOfTheCanaryIn(result.out() + result.err());
        assertThat(result.exit()).as(result.toString()).isEqualTo(given.exit());
        assertThat(result.err()).as(result.toString()).startsWith("vaultgate: ").contains(given.names());
        assertThat(result.err()).doesNotContain("Did you mean", "Possible solutions");
    }

    @Test
    void aParseErrorIsFollowedByTheUsageOfItsCommandAndJsonModePrintsNothingOnStdout() {
        Cli.Result result = cli().run("-o", "json", "token", "create", "-p", "shop", "--uses", CANARY);

        assertThat(result.exit()).isEqualTo(USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines().toList().get(1)).startsWith("Usage: vaultgate token create");
        assertThat(result.err()).contains("Exit codes:");
    }

    @Test
    @Timeout(120)
    void theRealProcessPrintsNoPartOfWhatItWasGivenEither() throws Exception {
        for (List<String> args :
                List.of(args("set", "--vaule=%s", "-p", "shop"), args("set", "-v", "-p%s"), args("%s"))) {
            Cli.Result result = CliProcess.run(Cli.of(closedAddress(), "t").env(), args);

            assertThat(result.exit()).as(result.toString()).isEqualTo(USAGE);
            assertNoPartOfTheCanaryIn(result.out() + result.err());
        }
    }

    /** Not even a part: no six characters in a row of the canary. */
    static void assertNoPartOfTheCanaryIn(String printed) {
        for (int i = 0; i + 6 <= CANARY.length(); i++) {
            assertThat(printed).as(printed).doesNotContain(CANARY.substring(i, i + 6));
        }
    }

    /** The arguments, with the canary for {@code %s}. */
    private static List<String> args(String... args) {
        return Stream.of(args).map(arg -> arg.replace("%s", CANARY)).toList();
    }

    private static Cli cli() {
        return Cli.of(closedAddress(), "t");
    }

    private static String closedAddress() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
