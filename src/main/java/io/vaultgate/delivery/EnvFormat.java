package io.vaultgate.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultgate.dotenv.Dotenv;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.Quoting;
import io.vaultgate.web.WireNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/**
 * The three renderings of a resolved environment, and which one a request asks for. Pure.
 *
 * <ul>
 *   <li>{@code json}: an object of KEY to value ({@code application/json}).</li>
 *   <li>{@code dotenv}: {@code KEY=value} lines from {@link Dotenv#write}, each value quoted so that
 *       dotenvx, npm dotenv, python-dotenv and our importer read it back exactly, where any quoting
 *       can ({@code text/x-dotenv}; {@code text/plain} asks for it too).</li>
 *   <li>{@code shell}: {@code export KEY='value'} lines that a POSIX shell's {@code eval} turns back
 *       into exactly the value, byte for byte ({@code text/x-shellscript}).</li>
 * </ul>
 */
enum EnvFormat {
    JSON("application/json"),
    DOTENV("text/x-dotenv; charset=utf-8"),
    SHELL("text/x-shellscript; charset=utf-8");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String mediaType;

    EnvFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }

    String wireName() {
        return WireNames.of(this);
    }

    String render(SortedMap<String, String> values) {
        return switch (this) {
            case JSON -> json(values);
            case DOTENV -> Dotenv.write(values);
            case SHELL -> shell(values);
        };
    }

    /**
     * {@code export KEY='value'}: inside single quotes a POSIX shell takes every byte literally
     * (newlines, {@code $}, backticks, backslashes, any UTF-8); the one character that cannot
     * appear there, {@code '}, is written as {@code '\''} (close, escaped quote, reopen). KEYs match
     * {@code ^[A-Z_][A-Z0-9_]*$}, so they need no quoting. Values never hold NUL (refused on write).
     */
    static String shell(SortedMap<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((key, value) -> out.append("export ")
                .append(key)
                .append("='")
                .append(value.replace("'", "'\\''"))
                .append("'\n"));
        return out.toString();
    }

    private static String json(SortedMap<String, String> values) {
        try {
            return MAPPER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the environment as JSON");
        }
    }

    /** {@code ?format=} wins; otherwise the first acceptable type of {@code Accept} (by q); JSON when absent. */
    static EnvFormat negotiate(String formatParameter, String accept) {
        if (formatParameter != null) {
            return WireNames.parse(EnvFormat.class, formatParameter)
                    .orElseThrow(() -> new ApiException(
                            ErrorCode.UNSUPPORTED_FORMAT,
                            "format is json, dotenv or shell; got '" + Quoting.shorten(formatParameter) + "'.",
                            "format"));
        }
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        record Range(String type, double q, int order) {}
        List<Range> ranges = new ArrayList<>();
        String[] parts = accept.split(",");
        for (int i = 0; i < parts.length; i++) {
            String[] params = parts[i].split(";");
            String type = params[0].trim().toLowerCase(Locale.ROOT);
            double q = 1.0;
            for (int p = 1; p < params.length; p++) {
                String param = params[p].trim();
                if (param.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2));
                    } catch (NumberFormatException ignored) {
                        q = 0;
                    }
                }
            }
            if (q > 0) {
                ranges.add(new Range(type, q, i));
            }
        }
        ranges.sort(Comparator.comparingDouble((Range r) -> -r.q()).thenComparingInt(Range::order));
        for (Range range : ranges) {
            EnvFormat format = switch (range.type()) {
                case "application/json", "*/*", "application/*" -> JSON;
                case "text/x-dotenv", "application/x-dotenv", "text/plain", "text/*" -> DOTENV;
                case "text/x-shellscript", "application/x-sh", "text/x-sh" -> SHELL;
                default -> null;
            };
            if (format != null) {
                return format;
            }
        }
        throw new ApiException(
                ErrorCode.NOT_ACCEPTABLE,
                "GET /v1/env answers application/json, text/x-dotenv or "
                        + "text/x-shellscript (or ?format=json|dotenv|shell); Accept was '" + Quoting.shorten(accept)
                        + "'.");
    }
}
