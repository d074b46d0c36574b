package io.vaultgate.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line picocli cannot parse, reported without quoting any of it: a script may have put
 * a secret in a misspelt option ({@code --vaule=sk_live_...}), in a cluster of short options, or
 * in a stray argument, and picocli's own messages quote all of those. The message names the
 * option as declared ({@code --value}) or the position of the argument, and says what was
 * expected; the command's usage follows, and the exit code is {@link ExitCode#USAGE}. There is
 * no "did you mean": picocli works its suggestions out from the text typed.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

    private static final String NOT_SHOWN = " (not shown: it may hold a value).";

    @Override
    public int handleParseException(ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("vaultgate: " + describe(failure, List.of(args)));
        command.usage(err);
        return ExitCode.USAGE.code();
    }

    /** What is wrong, in words of the command's declaration and positions in {@code args}, never their text. */
    private static String describe(ParameterException failure, List<String> args) {
        CommandSpec command = failure.getCommandLine().getCommandSpec();
        boolean hasCommands = !command.subcommands().isEmpty();
        if (failure instanceof UnmatchedArgumentException unmatched) {
            String what = unmatched.isUnknownOption()
                    ? "Unknown option"
                    : hasCommands ? "Unknown command" : "Unexpected argument";
            return what + at(args, unmatched.getUnmatched(), !unmatched.isUnknownOption()) + NOT_SHOWN;
        }
        if (failure instanceof MissingParameterException missing) {
            List<String> sentences = new ArrayList<>();
            missing.getMissing().forEach(spec -> sentences.add(missing(spec)));
            return String.join(" ", sentences);
        }
        if (failure instanceof OverwrittenOptionException overwritten) {
            return name(overwritten.getOverwritten()) + " is given twice; give it once.";
        }
        if (failure.getArgSpec() != null) {
            // A value picocli could not convert to the option's type.
            return "Invalid value for " + name(failure.getArgSpec()) + ": expected " + expected(failure.getArgSpec())
                    + ".";
        }
        if (hasCommands) {
            // `help NAME` for an unknown NAME carries it as the value; a bare `vaultgate token` carries none.
            return failure.getValue() != null
                    ? "Unknown command" + at(args, List.of(failure.getValue()), false) + NOT_SHOWN
                    : "Name a command of " + command.qualifiedName() + ": "
                            + String.join(", ", command.subcommands().keySet()) + ".";
        }
        return "The arguments do not fit " + command.qualifiedName() + " (not shown: they may hold a value).";
    }

    private static String missing(ArgSpec spec) {
        if (!spec.isOption()) {
            return "Missing " + spec.paramLabel() + ".";
        }
        String name = name(spec);
        if (spec.required()) {
            return name + " is required: " + name + "=" + spec.paramLabel() + ".";
        }
        return name + " needs a value: " + name + "=" + spec.paramLabel()
                + " (a value that starts with - goes after the =).";
    }

    /** An option by its longest declared name ({@code --value}, not {@code -v}); a positional by its label. */
    private static String name(ArgSpec spec) {
        return spec instanceof OptionSpec option ? option.longestName() : spec.paramLabel();
    }

    private static String expected(ArgSpec spec) {
        Class<?> type = spec.type();
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            List<String> constants = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                constants.add(((Enum<?>) constant).name());
            }
            return "one of " + String.join(", ", constants);
        }
        return "a value as its description in the usage says";
    }

    /**
     * " at position N" (1-based, as the shell counts after the program's name) of the first of
     * {@code offending} in {@code args}, or "" when that cannot be told for sure: found once, it is
     * there; found more than once, it is the start of the rest of the line when picocli handed
     * back the rest ({@code rest}), as it does for surplus positionals.
     */
    private static String at(List<String> args, List<String> offending, boolean rest) {
        if (offending.isEmpty()) {
            return "";
        }
        if (Collections.frequency(args, offending.get(0)) == 1) {
            return " at position " + (args.indexOf(offending.get(0)) + 1);
        }
        int start = args.size() - offending.size();
        if (rest && start >= 0 && args.subList(start, args.size()).equals(offending)) {
            return " at position " + (start + 1);
        }
        return "";
    }
}
