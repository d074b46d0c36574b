package io.vaultgate.dotenv;

import io.vaultgate.scope.KeyNames;
import java.util.Map;

/**
 * Reads and writes .env files. The grammar is dotenvx's (2.x) with the deliberate differences
 * marked below: a name must be able to be an environment variable, nothing is ever run, and
 * {@code \"} and {@code \\} unescape in double quotes. Where a file would mean something else here
 * than in dotenvx and no rule below says which wins, the file is refused rather than read
 * differently.
 *
 * <h2>Lines</h2>
 * <ul>
 *   <li>A leading byte order mark is dropped; CRLF and lone CR become LF everywhere, also inside
 *       quoted values (write {@code \r} in double quotes for a carriage return).</li>
 *   <li>Blank lines and lines whose first non-blank character is {@code #} are skipped.</li>
 *   <li>Every other line is {@code [export ]KEY=VALUE}; blanks (space, tab) may surround the
 *       {@code =}. KEY matches {@code ^[A-Z_][A-Z0-9_]*$} and has at most 256 characters
 *       (dotenvx also takes lower case, dots, dashes and {@code KEY: value}; we refuse them, since
 *       such a name cannot be an environment variable here).</li>
 *   <li>A key defined twice takes its last value (at the position of its first definition).</li>
 * </ul>
 *
 * <h2>Values</h2>
 * <ul>
 *   <li><b>Unquoted</b>: up to the end of the line, blanks trimmed. A {@code #} starts a comment
 *       only after a blank: {@code P=abc#1} is {@code abc#1} (dotenvx: {@code abc}). {@code \$} is a
 *       literal dollar; every other backslash is literal.</li>
 *   <li><b>'single'</b>: literal, may span lines; {@code \'} is a quote (as in dotenvx); no
 *       interpolation.</li>
 *   <li><b>"double"</b>: may span lines; escapes {@code \n \r \t \" \\ \$} (dotenvx keeps
 *       {@code \"} and {@code \\} as two characters; here they unescape); any other
 *       backslash is kept with the character after it, as in dotenvx ({@code "C:\Users"}).</li>
 *   <li><b>`backtick`</b>: may span lines; only {@code \$} is an escape; {@code \`} does not end
 *       the value and stays as written (as in dotenvx).</li>
 *   <li>After a closing quote only blanks and a comment may follow; other text is refused.</li>
 * </ul>
 *
 * <h2>Interpolation</h2>
 * In unquoted, double-quoted and backtick values: {@code $NAME}, {@code ${NAME}},
 * {@code ${NAME:-default}} (NAME unset or empty), {@code ${NAME-default}} (NAME unset),
 * {@code ${NAME:+alternative}} and {@code ${NAME+alternative}}, defaults themselves interpolated.
 * A name resolves <em>only</em> against keys defined on earlier lines of the same file, never
 * against the environment of the process that parses it: the gateway parses imports, and its
 * own environment (which holds its Vault token) must never flow into a secret; the same file
 * then imports the same wherever it is parsed. An undefined name is an error naming the line
 * (dotenvx substitutes an empty string). Substituted text is not scanned again. A {@code $} not
 * followed by a name or {@code {} is literal.
 *
 * <h2>Refused</h2>
 * {@code $(...)} outside single quotes (dotenvx runs it as a shell command; we never run
 * anything), and any value that begins with {@code encrypted:} (a dotenvx-encrypted value:
 * decrypt it first). All or nothing: one bad line refuses the whole file.
 *
 * <h2>Limits</h2>
 * References can make a short file expand to far more than its size ({@code A1=${A0}${A0}},
 * {@code A2=${A1}${A1}}...), so the {@link DotenvLimits} are checked while values are expanded,
 * before each append: a value past {@link DotenvLimits#valueBytes()}, a file whose names and
 * expanded values pass {@link DotenvLimits#totalBytes()}, or a key past
 * {@link DotenvLimits#keys()} refuses the file at the line of that key, with its own
 * {@link DotenvException.Kind}. Trailing blanks trimmed from an unquoted value do not count.
 */
public final class Dotenv {

    private Dotenv() {}

    /**
     * Parses a whole file within the {@link DotenvLimits#DEFAULTS default limits}.
     *
     * @return KEY to value, in the order keys first appear
     * @throws DotenvException at the first bad line; the message never quotes a value
     */
    public static Map<String, String> parse(String text) {
        return parse(text, DotenvLimits.DEFAULTS);
    }

    /**
     * Parses a whole file, refusing it at the line where a value, the file's expanded text or its
     * number of keys grows past {@code limits}; the check is made as the text grows, so a file
     * that would expand to gigabytes is refused before it takes more than the limits.
     *
     * @return KEY to value, in the order keys first appear
     * @throws DotenvException at the first bad line; the message never quotes a value
     */
    public static Map<String, String> parse(String text, DotenvLimits limits) {
        return new DotenvParser(text, limits).parse();
    }

    /**
     * Writes KEY=VALUE lines that {@link #parse} reads back to the same map, whatever the values
     * hold, and that dotenvx 2.x, the npm {@code dotenv} package (16 to 18) and python-dotenv 1.2
     * read back too, byte for byte, wherever a value allows it. Each value is written in the first
     * of these forms that fits it:
     * <ol>
     *   <li>{@code 'single quotes'}, as it is, when it holds no {@code '}, no carriage return, no
     *       {@code \\} and does not end with {@code \};</li>
     *   <li>{@code "double quotes"}, as it is but a carriage return written {@code \r}, when it
     *       holds no {@code "}, no {@code $} before a letter, {@code _}, <code>{</code> or {@code (},
     *       and no {@code \} before one of {@code \ " ' $ a b f n r t v}, before a carriage return
     *       or at the end;</li>
     *   <li>unquoted, when it is one line without {@code #}, has no whitespace at either end, does
     *       not begin with {@code ' " `}, holds no {@code $} before a letter, {@code _},
     *       <code>{</code> or {@code (}, no {@code \$}, and no quote just after a U+2028 or U+2029
     *       that the same quote closes before another one or the end.</li>
     * </ol>
     * A value that fits none of them has no form that all those readers read the same (a newline
     * together with both quote kinds, or with {@code \\}; a carriage return or a trailing
     * {@code \} together with {@code "}, a {@code $NAME} or an escape-like backslash...). It is
     * written so that this parser still reads it back and each other reader reads it within its
     * own lines, never into the next key:
     * <ol start="4">
     *   <li>in single quotes with each {@code '} written {@code \'}, when it holds no carriage return,
     *       no {@code \'} and does not end with {@code \}: dotenvx reads it back; npm dotenv keeps
     *       the backslash of each {@code \'}; python-dotenv reads {@code \\} as {@code \};</li>
     *   <li>otherwise in double quotes, writing {@code \\ \" \$ \r} where this parser needs
     *       them: dotenvx and npm dotenv keep {@code \\} and {@code \"} as two characters, npm
     *       dotenv {@code \$} too; python-dotenv keeps {@code \$} and reads {@code \' \a \b \f \v}
     *       as escapes. When the value ends with {@code \}, the line ends with the comment
     *       {@code # "the value ends at the quote before this comment"}: npm dotenv and dotenvx take
     *       the closing {@code \\"} for an escaped quote and would read on into the next keys; the
     *       comment's first quote stops them.</li>
     * </ol>
     * python-dotenv, when it interpolates (its default), expands <code>${NAME}</code> and
     * <code>${NAME:-default}</code> in every form, single quotes included, and has no escape for
     * them: a value holding one reads back only with {@code interpolate=False}. A value beginning
     * with {@code encrypted:} is written as is, but {@link #parse} refuses it, as dotenvx would try
     * to decrypt it.
     *
     * @throws IllegalArgumentException for a key that is not a valid name
     */
    public static String write(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((key, value) -> {
            if (!KeyNames.isValid(key)) {
                throw new IllegalArgumentException(
                        "Not a valid .env name (^[A-Z_][A-Z0-9_]*$, at most " + KeyNames.MAX_LENGTH + " characters).");
            }
            out.append(key).append('=').append(ValueQuoting.quote(value).text()).append('\n');
        });
        return out.toString();
    }
}
