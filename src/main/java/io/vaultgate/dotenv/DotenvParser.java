package io.vaultgate.dotenv;

import io.vaultgate.scope.KeyNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pass over the text with a cursor, no regular expressions: every character is looked at a
 * bounded number of times, so no input can make it backtrack or hang. Interpolation happens
 * while scanning, so a reference is resolved against the keys defined before its line, and
 * what it writes goes through an {@link ExpandedValue} that refuses to grow past the
 * {@link DotenvLimits}: the text a file expands to, like the file itself, is bounded.
 */
final class DotenvParser {

    /** {@code ${A:-${B:-...}}} deeper than this is refused: no real file needs it, and it bounds recursion. */
    private static final int MAX_NESTING = 16;

    private static final String ENCRYPTED_PREFIX = "encrypted:";

    /** How a value is written: decides its terminator, its escapes and whether it interpolates. */
    private enum Quoting {
        UNQUOTED,
        DOUBLE,
        BACKTICK
    }

    private final String text;
    private final DotenvLimits limits;
    private final Map<String, String> values = new LinkedHashMap<>();
    /** Bytes of UTF-8 of every name and value read so far. */
    private long fileBytes;

    private int pos;
    private int line = 1;

    DotenvParser(String input, DotenvLimits limits) {
        String withoutBom = input.startsWith("\uFEFF") ? input.substring(1) : input;
        this.text = withoutBom.replace("\r\n", "\n").replace('\r', '\n');
        this.limits = limits;
    }

    Map<String, String> parse() {
        while (pos < text.length()) {
            parseLine();
        }
        return values;
    }

    private void parseLine() {
        skipBlanks();
        if (atLineEnd() || peek() == '#') {
            skipRestOfLine();
            return;
        }
        int keyLine = line;
        if (text.startsWith("export", pos) && isBlank(charAt(pos + 6))) {
            pos += 6;
            skipBlanks();
        }
        int nameStart = pos;
        while (pos < text.length() && peek() != '=' && peek() != '\n' && !isBlank(peek())) {
            pos++;
        }
        String key = text.substring(nameStart, pos);
        skipBlanks();
        if (atLineEnd() || peek() != '=') {
            throw new DotenvException(keyLine, "expected KEY=VALUE, but the line has no '=' after its first word.");
        }
        requireName(key, keyLine, nameStart);
        requireRoomFor(key, keyLine);
        pos++;
        skipBlanks();
        ExpandedValue expanded = new ExpandedValue(key, keyLine, limits, fileBytes + key.length());
        value(key, keyLine, expanded);
        fileBytes += key.length() + expanded.bytes();
        String value = expanded.toString();
        if (value.startsWith(ENCRYPTED_PREFIX)) {
            throw new DotenvException(
                    keyLine,
                    "the value of " + key + " is dotenvx-encrypted (" + ENCRYPTED_PREFIX
                            + "...); decrypt the file first (dotenvx decrypt), the gateway holds no dotenvx key.");
        }
        values.put(key, value);
    }

    /** Keys are counted as they are added; a key given again is not a new one. */
    private void requireRoomFor(String key, int keyLine) {
        if (values.size() >= limits.keys() && !values.containsKey(key)) {
            throw new DotenvException(
                    keyLine,
                    DotenvException.Kind.TOO_MANY_KEYS,
                    key + " would be key " + (values.size() + 1) + "; a file defines at most " + limits.keys()
                            + " keys.");
        }
    }

    private void value(String key, int keyLine, ExpandedValue out) {
        char open = atLineEnd() ? '\n' : peek();
        switch (open) {
            case '\'' -> {
                pos++;
                singleQuoted(key, keyLine, out);
            }
            case '"' -> {
                pos++;
                scan(Quoting.DOUBLE, key, keyLine, out, false, 0);
            }
            case '`' -> {
                pos++;
                scan(Quoting.BACKTICK, key, keyLine, out, false, 0);
            }
            default -> {
                scan(Quoting.UNQUOTED, key, keyLine, out, false, 0);
                skipRestOfLine();
                return;
            }
        }
        skipBlanks();
        if (!atLineEnd() && peek() != '#') {
            throw new DotenvException(
                    line,
                    "unexpected text after the closing quote of " + key
                            + "; only a comment may follow a quoted value.");
        }
        skipRestOfLine();
    }

    private void singleQuoted(String key, int keyLine, ExpandedValue out) {
        while (true) {
            if (pos >= text.length()) {
                throw unterminated('\'', key, keyLine);
            }
            char c = next();
            if (c == '\\' && pos < text.length() && peek() == '\'') {
                out.append('\'');
                pos++;
            } else if (c == '\'') {
                return;
            } else {
                out.append(c);
            }
        }
    }

    /**
     * Scans a value, or the default of a {@code ${NAME:-default}} when {@code inReference}, up to
     * its end, resolving escapes and references on the way and writing what they stand for to
     * {@code out}.
     *
     * @param out {@link ExpandedValue#DISCARD} for a default that will not be used: it is checked,
     *            not resolved, so an unused default may name an undefined key, as in a shell
     */
    private void scan(Quoting quoting, String key, int keyLine, ExpandedValue out, boolean inReference, int depth) {
        // Blanks of an unquoted value are held back (as the run of text they are) until something
        // follows them: trailing ones are trimmed, so they never count against a limit.
        boolean trims = quoting == Quoting.UNQUOTED && !inReference;
        int blanksFrom = -1;
        while (true) {
            if (endsValue(quoting)) {
                if (inReference) {
                    throw new DotenvException(
                            line, "a ${...} reference in the value of " + key + " has no closing '}'.");
                }
                if (quoting != Quoting.UNQUOTED) {
                    throw unterminated(quoting == Quoting.DOUBLE ? '"' : '`', key, keyLine);
                }
                return;
            }
            char c = next();
            if (quoting == Quoting.DOUBLE && c == '"' || quoting == Quoting.BACKTICK && c == '`') {
                if (inReference) {
                    throw new DotenvException(
                            line,
                            "a ${...} reference in the value of " + key
                                    + " has no closing '}' before the closing quote.");
                }
                return;
            }
            if (inReference && c == '}') {
                return;
            }
            if (trims && isBlank(c)) {
                blanksFrom = blanksFrom < 0 ? pos - 1 : blanksFrom;
                continue;
            }
            if (blanksFrom >= 0) {
                out.append(text, blanksFrom, pos - 1);
                blanksFrom = -1;
            }
            if (c == '\\' && pos < text.length()) {
                escape(quoting, out);
            } else if (c == '$') {
                reference(quoting, key, keyLine, out, depth);
            } else {
                out.append(c);
                if (c == '\n') {
                    line++;
                }
            }
        }
    }

    private boolean endsValue(Quoting quoting) {
        if (pos >= text.length()) {
            return true;
        }
        return quoting == Quoting.UNQUOTED
                && (peek() == '\n' || peek() == '#' && pos > 0 && isBlank(text.charAt(pos - 1)));
    }

    /** The cursor is just past a backslash that is not the last character. */
    private void escape(Quoting quoting, ExpandedValue value) {
        char c = peek();
        if (c == '$') {
            value.append('$');
            pos++;
            return;
        }
        if (quoting == Quoting.DOUBLE) {
            String unescaped = switch (c) {
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case '"' -> "\"";
                case '\\' -> "\\";
                default -> null;
            };
            if (unescaped != null) {
                value.append(unescaped);
                pos++;
                return;
            }
        }
        if (quoting == Quoting.BACKTICK && c == '`') {
            value.append("\\`");
            pos++;
            return;
        }
        value.append('\\');
    }

    /** The cursor is just past a {@code $}. */
    private void reference(Quoting quoting, String key, int keyLine, ExpandedValue value, int depth) {
        int dollar = pos - 1;
        if (pos >= text.length()) {
            value.append('$');
            return;
        }
        char c = peek();
        if (c == '(') {
            throw new DotenvException(
                    line,
                    "the value of " + key + " has a command substitution $(...) at column " + column(dollar)
                            + "; it is never run. Write \\$( for a literal, or use single quotes.");
        }
        if (c == '{') {
            pos++;
            braced(quoting, key, keyLine, value, depth, dollar);
            return;
        }
        if (!isNameStart(c)) {
            value.append('$');
            return;
        }
        String name = name();
        if (value.keeps()) {
            value.append(lookup(name, key, dollar));
        }
    }

    private void braced(Quoting quoting, String key, int keyLine, ExpandedValue value, int depth, int dollar) {
        if (depth >= MAX_NESTING) {
            throw new DotenvException(
                    line,
                    "the ${...} references in the value of " + key + " are nested more than " + MAX_NESTING + " deep.");
        }
        if (pos >= text.length() || !isNameStart(peek())) {
            throw malformed(key, dollar);
        }
        String name = name();
        String operator = operator();
        if (operator == null) {
            if (pos >= text.length() || peek() != '}') {
                throw malformed(key, dollar);
            }
            pos++;
            if (value.keeps()) {
                value.append(lookup(name, key, dollar));
            }
            return;
        }
        String current = values.get(name);
        boolean set = operator.startsWith(":") ? current != null && !current.isEmpty() : current != null;
        boolean useWord = operator.endsWith("-") ? !set : set;
        // The word used is written straight into the value, so it counts against the value's limits as it grows.
        scan(quoting, key, keyLine, useWord ? value : ExpandedValue.DISCARD, true, depth + 1);
        if (!useWord && operator.endsWith("-")) {
            value.append(current);
        }
    }

    private String operator() {
        for (String operator : new String[] {":-", ":+", "-", "+"}) {
            if (text.startsWith(operator, pos)) {
                pos += operator.length();
                return operator;
            }
        }
        return null;
    }

    private String lookup(String name, String key, int dollar) {
        String found = values.get(name);
        if (found == null) {
            throw new DotenvException(
                    line,
                    "the value of " + key + " refers at column " + column(dollar)
                            + " to a variable that no earlier line defines (only keys defined above it in this file"
                            + " are visible). Write \\$ for a literal dollar sign, or use single quotes.");
        }
        return found;
    }

    private DotenvException malformed(String key, int dollar) {
        return new DotenvException(
                line,
                "the value of " + key + " has a malformed ${...} reference at column " + column(dollar)
                        + "; write ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:+alt} or ${NAME+alt}.");
    }

    private DotenvException unterminated(char quote, String key, int keyLine) {
        return new DotenvException(
                keyLine, "the value of " + key + " opens a " + quote + " quote that is never closed.");
    }

    private void requireName(String key, int keyLine, int nameStart) {
        if (KeyNames.isValid(key)) {
            return;
        }
        // The name is not quoted: a line that only looks like KEY=VALUE (say, base64 of a key
        // pasted without quotes) may be part of a secret.
        String why;
        if (key.isEmpty()) {
            why = "has no name before '='";
        } else if (key.length() > KeyNames.MAX_LENGTH) {
            why = "has a name longer than " + KeyNames.MAX_LENGTH + " characters";
        } else if (isDigit(key.charAt(0))) {
            why = "has a name that starts with a digit";
        } else {
            int bad = 0;
            while (KeyNames.isValid(key.substring(0, bad + 1))) {
                bad++;
            }
            why = "has a name with a character other than A-Z, 0-9 and '_' at column " + column(nameStart + bad);
        }
        throw new DotenvException(keyLine, "the line " + why + "; names must match ^[A-Z_][A-Z0-9_]*$.");
    }

    private String name() {
        int start = pos;
        while (pos < text.length() && isNamePart(peek())) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private int column(int index) {
        return index - text.lastIndexOf('\n', index - 1);
    }

    private void skipBlanks() {
        while (pos < text.length() && isBlank(peek())) {
            pos++;
        }
    }

    private void skipRestOfLine() {
        int end = text.indexOf('\n', pos);
        if (end < 0) {
            pos = text.length();
        } else {
            pos = end + 1;
            line++;
        }
    }

    private boolean atLineEnd() {
        return pos >= text.length() || peek() == '\n';
    }

    private char peek() {
        return text.charAt(pos);
    }

    private char next() {
        return text.charAt(pos++);
    }

    private char charAt(int index) {
        return index < text.length() ? text.charAt(index) : '\n';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || isDigit(c);
    }
}
