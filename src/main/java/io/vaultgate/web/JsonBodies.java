package io.vaultgate.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a JSON body that could not be bound answers: 400 {@code invalid-json} with the line,
 * column or field that is wrong, and never a piece of the body, which may hold a secret value.
 * The one wording of those errors, used by the handlers in {@link BindingErrorHandlers}.
 */
public final class JsonBodies {

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");

    private JsonBodies() {}

    /** The problem behind a failed binding, if a JSON parse or mapping error is its cause. */
    static Optional<ApiException> problemOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return Optional.of(problemOf(json));
            }
        }
        return Optional.empty();
    }

    static ApiException problemOf(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown.getPropertyName());
        }
        if (e instanceof MismatchedInputException mismatched) {
            String field = fieldPath(mismatched);
            return new ApiException(
                    ErrorCode.INVALID_JSON,
                    field.isEmpty()
                            ? "The request body must be a JSON object of the fields this request takes."
                            : "Field '" + field + "' has the wrong type.",
                    field.isEmpty() ? null : field);
        }
        if (e instanceof JsonMappingException mapping && !fieldPath(mapping).isEmpty()) {
            String field = fieldPath(mapping);
            return new ApiException(ErrorCode.INVALID_JSON, "Field '" + field + "' could not be read.", field);
        }
        return notJson(e);
    }

    /** A route that reads a body got none: a JSON one (or one of no type) is missing JSON; a dotenv file is just missing. */
    static ApiException missingBody(HttpRequest<?> request) {
        return request.getContentType()
                        .filter(type -> !type.matches(MediaType.APPLICATION_JSON_TYPE))
                        .isPresent()
                ? new ApiException(ErrorCode.INVALID_REQUEST, "The request needs a body.", "body")
                : new ApiException(ErrorCode.INVALID_JSON, "The request needs a JSON body.");
    }

    /** Where the text stops being JSON, by line and column; never what it says there. */
    private static ApiException notJson(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new ApiException(ErrorCode.INVALID_JSON, "The request body is not valid JSON" + where + ".");
    }

    /**
     * A field the body may not have. Its name is quoted only when it looks like one (a value pasted
     * where a name goes is not echoed back).
     */
    private static ApiException unknownField(String name) {
        if (name != null && FIELD_NAME.matcher(name).matches()) {
            return new ApiException(ErrorCode.INVALID_JSON, "Unknown field '" + name + "'.", name);
        }
        return new ApiException(
                ErrorCode.INVALID_JSON,
                "The body has a field this request does not take (its name is not shown: it does not look like one).");
    }

    /** {@code keys[0]}, {@code a.b}: the path as the problem's {@code field} names it. */
    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference ->
                        reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .filter(part -> FIELD_NAME.matcher(part).matches() || part.startsWith("["))
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
