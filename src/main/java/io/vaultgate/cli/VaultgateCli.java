package io.vaultgate.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code vaultgate}: the command line of the gateway for platform scripts. Its own main class, so
 * running it loads picocli and the CLI's few classes, and no Micronaut context.
 */
@Command(
        name = "vaultgate",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VaultgateCli.Version.class,
        sortOptions = false,
        description = {
            "Secrets of a Vaultgate gateway, for scripts and people: set, list, import, run.",
            "Values go in and never come out, except into the environment of `vaultgate run`.",
            "The gateway is $VAULTGATE_ADDR (default " + Gateway.DEFAULT_ADDRESS + "), the token $VAULTGATE_TOKEN."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  export VAULTGATE_ADDR=https://vaultgate.internal VAULTGATE_TOKEN=...",
            "  vaultgate set -p shop -e production DATABASE_URL=postgres://db/shop",
            "  vaultgate list -p shop -e production -s api --resolved",
            "  vaultgate import -p shop -f .env --dry-run",
            "  vaultgate change-set create -p shop -m 'Rotate the database password'",
            "  VAULTGATE_TOKEN=$WORKLOAD_TOKEN vaultgate run -- java -jar app.jar"
        })
public final class VaultgateCli {

    /** Lower case: these are the words users type and --help lists. */
    enum Output {
        table,
        json
    }

    /**
     * The commands by name, in the order --help lists them. Names are spelled out here rather than
     * read from each class's annotation: reading those would load every command class, the cost
     * {@link #addCommands} avoids (a test checks they match).
     */
    static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("set", SetCommand.class);
        commands.put("list", ListCommand.class);
        commands.put("delete", DeleteCommand.class);
        commands.put("import", ImportCommand.class);
        commands.put("history", HistoryCommand.class);
        commands.put("rollback", RollbackCommand.class);
        commands.put("change-set", ChangeSetCommand.class);
        commands.put("token", TokenCommand.class);
        commands.put("check", CheckCommand.class);
        commands.put("impact", ImpactCommand.class);
        commands.put("diff", DiffCommand.class);
        commands.put("hooks", HooksCommand.class);
        commands.put("events", EventsCommand.class);
        commands.put("rollout", RolloutCommand.class);
        commands.put("run", RunCommand.class);
        commands.put("completion", CompletionCommand.class);
        commands.put("help", HelpCommand.class);
        return commands;
    }

    /** Options of the root that take a value: skipped when looking for the command's name. */
    private static final Set<String> VALUE_OPTIONS = Set.of("--addr", "--token", "-o", "--output");

    @Option(
            names = "--addr",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description = "Gateway address; default $VAULTGATE_ADDR, else " + Gateway.DEFAULT_ADDRESS + ".")
    String address;

    @Option(
            names = "--token",
            scope = ScopeType.INHERIT,
            paramLabel = "TOKEN",
            description = "Bearer token; default $VAULTGATE_TOKEN (prefer it: arguments show in ps).")
    String token;

    @Option(
            names = {"-o", "--output"},
            scope = ScopeType.INHERIT,
            paramLabel = "FORMAT",
            description = "table (default: for people, with a header) or json (the gateway's answer, for scripts).")
    Output output = Output.table;

    private final Io io;
    private Gateway gateway;

    VaultgateCli(Io io) {
        this.io = io;
    }

    public static void main(String[] args) {
        System.exit(run(args, Io.system()));
    }

    /** Runs one command line and answers its exit code; never calls System.exit, so tests can call it. */
    static int run(String[] args, Io io) {
        VaultgateCli root = new VaultgateCli(io);
        CommandLine commandLine = new CommandLine(root);
        addCommands(commandLine, args);
        commandLine
                .setOut(new PrintWriter(io.out(), true))
                .setErr(new PrintWriter(io.err(), true))
                .setCaseInsensitiveEnumValuesAllowed(true)
                // Arguments are taken as typed: `-v @cert.pem` is that text, not the file's content.
                .setExpandAtFiles(false)
                .setParameterExceptionHandler(new UsageErrors())
                .setExecutionExceptionHandler((failure, failed, parseResult) -> root.fail(failure));
        // Everything after the command's name is the command's: `vaultgate run java -jar app.jar` needs no --.
        CommandLine run = commandLine.getSubcommands().get("run");
        if (run != null) {
            run.setStopAtPositional(true);
        }
        documentExitCodes(commandLine);
        return commandLine.execute(args);
    }

    /**
     * Picocli reads every command's annotations up front, and with a dozen commands that is most
     * of a call's start-up. A script calls one command, so only that one is built; --help, help,
     * completion and anything not a command's name get them all.
     */
    static void addCommands(CommandLine commandLine, String[] args) {
        String named = null;
        for (int i = 0; i < args.length && named == null; i++) {
            if (VALUE_OPTIONS.contains(args[i])) {
                i++;
            } else if (!args[i].startsWith("-")) {
                named = args[i];
            }
        }
        boolean one =
                named != null && COMMANDS.containsKey(named) && !named.equals("help") && !named.equals("completion");
        if (one) {
            commandLine.addSubcommand(named, COMMANDS.get(named));
        } else {
            COMMANDS.forEach(commandLine::addSubcommand);
        }
    }

    Io io() {
        return io;
    }

    Output output() {
        return output;
    }

    Gateway gateway() {
        if (gateway == null) {
            gateway = new Gateway(
                    address != null ? address : io.env().get(Gateway.ADDRESS_VARIABLE),
                    token != null ? token : io.env().get(Gateway.TOKEN_VARIABLE));
        }
        return gateway;
    }

    private int fail(Exception failure) {
        if (failure instanceof CliException refused) {
            if (output == Output.json && refused.json() != null) {
                io.out().println(refused.json().strip());
            }
            io.err().println("vaultgate: " + refused.getMessage());
            return refused.exitCode().code();
        }
        // Unexpected: the type only, since a message could hold anything.
        io.err().println("vaultgate: unexpected error (" + failure.getClass().getName() + ").");
        return ExitCode.ERROR.code();
    }

    /** Every command's --help ends with the exit codes, so a script author finds them where they look. */
    private static void documentExitCodes(CommandLine command) {
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            // Padded by hand: String.format would load the locale machinery, a cost on every call.
            codes.put((code.code() < 10 ? "  " : " ") + code.code(), code.meaning());
        }
        command.getCommandSpec()
                .usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(codes);
        command.getSubcommands().values().forEach(VaultgateCli::documentExitCodes);
    }

    /** The version Maven wrote into the jar; a build from the IDE has none. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            Properties pom = new Properties();
            try (InputStream in =
                    VaultgateCli.class.getResourceAsStream("/META-INF/maven/io.vaultgate/vaultgate/pom.properties")) {
                if (in != null) {
                    pom.load(in);
                }
            }
            return new String[] {"vaultgate " + pom.getProperty("version", "(development build)")};
        }
    }
}
