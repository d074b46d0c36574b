package io.vaultgate.dotenv;

/**
 * How {@link Dotenv#write} writes one value (the rule is stated there): in the first form that
 * every reader reads back byte for byte, else in one that this parser reads back and as many of
 * the others as the value allows. The readers are this parser, dotenvx 2.x, the npm {@code dotenv} package (16 to 18,
 * one parser) and python-dotenv 1.2, and {@code DotenvReadersTest} runs them all. Each form must
 * avoid what some reader does differently in it:
 *
 * <ul>
 *   <li><b>'single'</b>: every reader turns a raw carriage return into a newline; this parser and
 *       python-dotenv take {@code \'} for a quote, so a value ending with {@code \} would escape
 *       the closing one, and python-dotenv reads {@code \\} as one backslash; dotenvx reads
 *       {@code \'} as a quote too, npm dotenv keeps every backslash.</li>
 *   <li><b>"double"</b>: npm dotenv and dotenvx keep {@code \"} and {@code \\} as two characters,
 *       so no {@code "} can be written for all; the readers decode different escapes (this parser
 *       {@code \n \r \t \" \\ \$}, dotenvx {@code \n \r \t \$}, npm dotenv {@code \n \r},
 *       python-dotenv {@code \\ \' \" \a \b \f \n \r \t \v}), so no backslash may stand
 *       before any of them; this parser and dotenvx expand {@code $NAME}, <code>${</code> and
 *       {@code $(}.</li>
 *   <li><b>unquoted</b>: one line; npm dotenv and dotenvx end the value at any {@code #}; the
 *       readers trim different whitespace (JavaScript's trim(), Python's strip(), blanks); this
 *       parser and dotenvx expand {@code $NAME} and unescape {@code \$}; npm dotenv and dotenvx
 *       strip a pair of quotes around any line of the value, and U+2028 and U+2029 end lines
 *       there.</li>
 * </ul>
 *
 * Backticks are never used: python-dotenv has no backtick quoting and would keep them.
 * python-dotenv also expands <code>${NAME}</code> in every form when it interpolates (its
 * default); no form avoids that, so {@link Quoted#portable()} leaves it out. Every form keeps every
 * reader within the value's own lines, so a value never spills into the next key.
 */
final class ValueQuoting {

    /**
     * A value as written.
     *
     * @param portable whether every reader (python-dotenv without interpolation) reads it back
     */
    record Quoted(String text, boolean portable) {}

    private ValueQuoting() {}

    static Quoted quote(String value) {
        if (fitsSingleQuotes(value)) {
            return new Quoted("'" + value + "'", true);
        }
        if (fitsDoubleQuotes(value)) {
            return new Quoted('"' + value.replace("\r", "\\r") + '"', true);
        }
        if (fitsUnquoted(value)) {
            return new Quoted(value, true);
        }
        // No portable form. Single quotes with \' are misread by npm dotenv alone (and python-dotenv
        // where the value holds \\), so they are used wherever this parser and python-dotenv can read
        // them: no carriage return, no trailing \, no \' (python-dotenv would read the \\' written for
        // it as \ and the closing quote, then read on). Double quotes otherwise.
        if (value.indexOf('\r') < 0 && !value.endsWith("\\") && !value.contains("\\'")) {
            return new Quoted("'" + value.replace("'", "\\'") + "'", false);
        }
        String quoted = escapedDoubleQuotes(value);
        if (value.endsWith("\\")) {
            // npm dotenv and dotenvx take the \" that closes this value for an escaped quote and read
            // on, across lines, to the next " that ends a line: the first quote of the comment, which
            // cannot end a value, stops them, and they go back to the closing quote.
            quoted += " # \"the value ends at the quote before this comment\"";
        }
        return new Quoted(quoted, false);
    }

    private static boolean fitsSingleQuotes(String value) {
        return value.indexOf('\'') < 0 && value.indexOf('\r') < 0 && !value.contains("\\\\") && !value.endsWith("\\");
    }

    private static boolean fitsDoubleQuotes(String value) {
        if (value.indexOf('"') >= 0 || hasReference(value)) {
            return false;
        }
        for (int i = value.indexOf('\\'); i >= 0; i = value.indexOf('\\', i + 1)) {
            if (i + 1 == value.length() || "\\\"'$abfnrtv\r".indexOf(value.charAt(i + 1)) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean fitsUnquoted(String value) {
        if (value.isEmpty()) {
            return true;
        }
        return value.indexOf('\n') < 0
                && value.indexOf('\r') < 0
                && value.indexOf('#') < 0
                && "'\"`".indexOf(value.charAt(0)) < 0
                && !isTrimmed(value.charAt(0))
                && !isTrimmed(value.charAt(value.length() - 1))
                && !hasReference(value)
                && !value.contains("\\$")
                && !hasQuotedLine(value);
    }

    /** {@code $} before what this parser or dotenvx would expand: a name, <code>${</code> or {@code $(}. */
    private static boolean hasReference(String value) {
        for (int i = value.indexOf('$'); i >= 0 && i + 1 < value.length(); i = value.indexOf('$', i + 1)) {
            if (startsReference(value.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsReference(char afterDollar) {
        return afterDollar >= 'A' && afterDollar <= 'Z'
                || afterDollar >= 'a' && afterDollar <= 'z'
                || afterDollar == '_'
                || afterDollar == '{'
                || afterDollar == '(';
    }

    /** Whitespace that one of the readers trims from an unquoted value: JavaScript's trim(), Python's strip(). */
    private static boolean isTrimmed(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085' || c == '\uFEFF';
    }

    /**
     * npm dotenv and dotenvx strip {@code /^(['"`])([\s\S]*)\1$/mg} from a value, and in a
     * JavaScript multiline regex U+2028 and U+2029 end a line: a quote just after one of them,
     * closed by the same quote just before one of them or the end, loses both quotes.
     */
    private static boolean hasQuotedLine(String value) {
        int[] lastClosing = {-1, -1, -1};
        for (int i = 0; i < value.length(); i++) {
            int quote = "'\"`".indexOf(value.charAt(i));
            if (quote >= 0 && (i + 1 == value.length() || isLineSeparator(value.charAt(i + 1)))) {
                lastClosing[quote] = i;
            }
        }
        for (int i = 1; i < value.length(); i++) {
            int quote = "'\"`".indexOf(value.charAt(i));
            if (quote >= 0 && isLineSeparator(value.charAt(i - 1)) && lastClosing[quote] > i) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLineSeparator(char c) {
        return c == '\u2028' || c == '\u2029';
    }

    /** Double quotes escaping only what this parser would otherwise read differently. */
    private static String escapedDoubleQuotes(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 8).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // The last character is followed by the closing quote, which a lone backslash would escape.
            char next = i + 1 < value.length() ? value.charAt(i + 1) : '"';
            switch (c) {
                case '\\' -> quoted.append("nrt\"\\$\r".indexOf(next) >= 0 ? "\\\\" : "\\");
                case '"' -> quoted.append("\\\"");
                case '$' -> quoted.append(startsReference(next) ? "\\$" : "$");
                case '\r' -> quoted.append("\\r");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
