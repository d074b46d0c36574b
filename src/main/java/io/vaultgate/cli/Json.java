package io.vaultgate.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value, as the CLI reads the gateway's answers and writes its request bodies. The CLI
 * has its own small codec rather than Jackson's ObjectMapper, which the gateway uses: building
 * one costs a JVM about a tenth of a second, a seventh of a whole {@code vaultgate list} call
 * (bench/cli-startup.sh), for the handful of fields the CLI reads. Reading never quotes the
 * text it fails on: an answer may hold values ({@code GET /v1/env}).
 *
 * <p>Navigation is forgiving, like the tree model it replaces: {@link #path} of an absent field
 * is {@link #MISSING}, whose {@code as...} methods answer their defaults.
 */
final class Json implements Iterable<Json> {

    /** Deeper nesting than this is refused, so no answer can overflow the stack. */
    private static final int MAX_DEPTH = 256;

    static final Json MISSING = new Json(Kind.MISSING, null);
    private static final Json NULL = new Json(Kind.NULL, null);

    private enum Kind {
        MISSING,
        NULL,
        BOOLEAN,
        NUMBER,
        STRING,
        ARRAY,
        OBJECT
    }

    private final Kind kind;
    /** Boolean, the number's literal text, String, List of Json, or Map of String to Json. */
    private final Object value;

    private Json(Kind kind, Object value) {
        this.kind = kind;
        this.value = value;
    }

    static Json read(String text) {
        Reader reader = new Reader(text == null ? "" : text);
        Json json = reader.value(0);
        reader.skipBlanks();
        if (reader.pos != reader.text.length()) {
            throw reader.invalid();
        }
        return json;
    }

    /** JSON text of a Json, Map, List, String, Number, Boolean or null. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    Json path(String field) {
        Json found = kind == Kind.OBJECT ? fields().get(field) : null;
        return found == null ? MISSING : found;
    }

    boolean hasNonNull(String field) {
        Kind found = path(field).kind;
        return found != Kind.MISSING && found != Kind.NULL;
    }

    boolean isMissingOrNull() {
        return kind == Kind.MISSING || kind == Kind.NULL;
    }

    boolean isObject() {
        return kind == Kind.OBJECT;
    }

    boolean isArray() {
        return kind == Kind.ARRAY;
    }

    boolean isTextual() {
        return kind == Kind.STRING;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Elements of an array, members of an object; 0 otherwise. */
    int size() {
        return kind == Kind.ARRAY ? elements().size() : kind == Kind.OBJECT ? fields().size() : 0;
    }

    /** A string, a number's or a boolean's text; "" for anything else. */
    String asText() {
        return asText("");
    }

    String asText(String fallback) {
        return switch (kind) {
            case STRING, NUMBER -> (String) value;
            case BOOLEAN -> value.toString();
            default -> fallback;
        };
    }

    int asInt() {
        return (int) asLong(0);
    }

    long asLong(long fallback) {
        if (kind == Kind.NUMBER) {
            try {
                return Long.parseLong((String) value);
            } catch (NumberFormatException fraction) {
                return (long) Double.parseDouble((String) value);
            }
        }
        return fallback;
    }

    boolean asBoolean() {
        return asBoolean(false);
    }

    boolean asBoolean(boolean fallback) {
        return kind == Kind.BOOLEAN ? (Boolean) value : fallback;
    }

    /** The elements of an array; nothing for anything else. */
    @Override
    public Iterator<Json> iterator() {
        return kind == Kind.ARRAY ? elements().iterator() : Collections.emptyIterator();
    }

    /** The members of an object, in order; empty for anything else. */
    @SuppressWarnings("unchecked")
    Map<String, Json> fields() {
        return kind == Kind.OBJECT ? (Map<String, Json>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    private List<Json> elements() {
        return (List<Json>) value;
    }

    /** Says what it is, not what it holds: a Json may carry values. */
    @Override
    public String toString() {
        return "Json[" + kind + "]";
    }

    @SuppressWarnings("unchecked")
    private static void write(Object value, StringBuilder out) {
        if (value instanceof Json json) {
            switch (json.kind) {
                case MISSING, NULL -> out.append("null");
                case BOOLEAN, NUMBER -> out.append(json.value);
                case STRING -> string((String) json.value, out);
                case ARRAY, OBJECT -> write(json.value, out);
            }
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            string(text, out);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "" : ",");
                string(String.valueOf(entry.getKey()), out);
                out.append(':');
                write(entry.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (value instanceof Iterable<?> list) {
            out.append('[');
            boolean first = true;
            for (Object element : list) {
                out.append(first ? "" : ",");
                write(element, out);
                first = false;
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "cannot write a " + value.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        String hex = Integer.toHexString(c);
                        out.append("\\u").append("0000", hex.length(), 4).append(hex);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A recursive descent over RFC 8259 JSON. */
    private static final class Reader {

        private final String text;
        private int pos;

        Reader(String text) {
            this.text = text;
        }

        Json value(int depth) {
            if (depth > MAX_DEPTH) {
                throw invalid();
            }
            skipBlanks();
            if (pos >= text.length()) {
                throw invalid();
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> new Json(Kind.STRING, string());
                case 't' -> literal("true", new Json(Kind.BOOLEAN, Boolean.TRUE));
                case 'f' -> literal("false", new Json(Kind.BOOLEAN, Boolean.FALSE));
                case 'n' -> literal("null", NULL);
                default -> number();
            };
        }

        private Json object(int depth) {
            pos++;
            Map<String, Json> fields = new LinkedHashMap<>();
            skipBlanks();
            if (peek() == '}') {
                pos++;
                return new Json(Kind.OBJECT, fields);
            }
            while (true) {
                skipBlanks();
                if (peek() != '"') {
                    throw invalid();
                }
                String name = string();
                skipBlanks();
                expect(':');
                fields.put(name, value(depth + 1));
                skipBlanks();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    return new Json(Kind.OBJECT, fields);
                }
            }
        }

        private Json array(int depth) {
            pos++;
            List<Json> elements = new ArrayList<>();
            skipBlanks();
            if (peek() == ']') {
                pos++;
                return new Json(Kind.ARRAY, elements);
            }
            while (true) {
                elements.add(value(depth + 1));
                skipBlanks();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect(']');
                    return new Json(Kind.ARRAY, elements);
                }
            }
        }

        private String string() {
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw invalid();
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw invalid();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    throw invalid();
                }
                char escaped = text.charAt(pos++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw invalid();
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException e) {
                            throw invalid();
                        }
                        pos += 4;
                    }
                    default -> throw invalid();
                }
            }
        }

        private Json number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            int digits = pos;
            while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String literal = text.substring(start, pos);
            if (pos == digits || !Character.isDigit(text.charAt(digits))) {
                throw invalid();
            }
            try {
                Double.parseDouble(literal);
            } catch (NumberFormatException e) {
                throw invalid();
            }
            return new Json(Kind.NUMBER, literal);
        }

        private Json literal(String word, Json json) {
            if (!text.startsWith(word, pos)) {
                throw invalid();
            }
            pos += word.length();
            return json;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw invalid();
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        void skipBlanks() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        CliException invalid() {
            return new CliException(
                    ExitCode.ERROR, "The gateway's answer is not valid JSON (at character " + pos + ").");
        }
    }
}
