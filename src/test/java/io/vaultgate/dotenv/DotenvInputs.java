package io.vaultgate.dotenv;

import io.vaultgate.testing.property.Strings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Generated inputs of the .env parser and writer, for property tests: each drawn from a seeded random. */
final class DotenvInputs {

    /** The characters that mean something to the grammar, weighted in so that tries hit its corners. */
    private static final String SYNTAX = "'\"`$\\#{}()=:-+ \t\n\rAZ_az09é🔐";

    private static final List<String> CORNER_VALUES = List.of(
            "",
            " ",
            "'",
            "\"",
            "\\",
            "$",
            "$A",
            "${A}",
            "$(x)",
            "#",
            " #",
            "\r\n",
            "\\'",
            "encrypted",
            "-----BEGIN KEY-----\nMIIB\n-----END KEY-----\n");
    private static final List<String> TOKENS = List.of(
            "A",
            "B_1",
            "=",
            "'",
            "\"",
            "`",
            "$",
            "${",
            "}",
            ":-",
            "-",
            "+",
            ":+",
            "\\",
            "#",
            " ",
            "\t",
            "\n",
            "\r",
            "\r\n",
            "export ",
            "$(",
            ")",
            "encrypted:",
            "\uFEFF",
            "é",
            "🔐",
            "lower",
            "\0",
            "\ud800");
    private static final List<String> VALID_LINES = List.of("A=1\n", "export B='x'\n", "C=\"y\nz\"\n", "D=${A:-d}\n");
    /** What the readers of a .env file tell apart: quotes, escapes, references, comments, blanks, line ends. */
    private static final List<String> READER_TOKENS = List.of(
            "'", "\"", "`", "\\", "$", "{", "}", "(", ")", "#", "=", ":", "-", " ", "\t", "\n", "\r", "a", "b", "f",
            "n", "r", "t", "v", "A", "X", "_", "0", "é", "ש", "🔐", "\u00a0", "\u2028", "\u2029", "\u0085", "\ufeff",
            "\u000b", "\u000c", "\u001f", "\u3000");

    private DotenvInputs() {}

    /** A KEY to value map of up to 12 entries. */
    static Map<String, String> environment(RandomGenerator random) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int size = Strings.length(random, 12); values.size() < size; ) {
            values.put(name(random), value(random));
        }
        return values;
    }

    /** A valid name: one of A-Z and _, then up to 30 of a few letters, digits and _. */
    static String name(RandomGenerator random) {
        return Strings.of(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 1, 1) + Strings.of(random, "ABCXYZ0189_", 0, 30);
    }

    /**
     * Any units, syntax characters or a corner case, a third of the time each; never a value
     * beginning with {@code encrypted:}, which is written but refused on reading, on purpose.
     */
    static String value(RandomGenerator random) {
        String value;
        do {
            value = switch (random.nextInt(3)) {
                case 0 -> Strings.anyUnits(random, 200);
                case 1 -> Strings.of(random, SYNTAX, 0, 80);
                default -> Strings.pick(random, CORNER_VALUES);
            };
        } while (value.startsWith("encrypted:"));
        return value;
    }

    /**
     * Text for the parser, a quarter of the time each: any units, syntax characters, tokens of the
     * grammar, or a valid line followed by tokens (so that tries get past the first line).
     */
    static String text(RandomGenerator random) {
        return switch (random.nextInt(4)) {
            case 0 -> Strings.anyUnits(random, 300);
            case 1 -> Strings.of(random, SYNTAX, 0, 300);
            case 2 -> Strings.joined(random, TOKENS, 100);
            default -> Strings.pick(random, VALID_LINES) + Strings.joined(random, TOKENS, 100);
        };
    }

    /** A value of up to 12 of what the readers tell apart: valid UTF-16, so that it can be written to a file. */
    static String readerValue(RandomGenerator random) {
        return Strings.joined(random, READER_TOKENS, 12);
    }
}
