package io.vaultgate.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a JSON body that could not be bound answers: 400 {@code invalid-json} with the line,
 * column or field that is wrong, and never a piece of the body, which may hold a secret value.
 * The one wording of those errors, used by the handlers in {@link BindingErrorHandlers}.
 */
final class JsonBodies {

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
            return unknownField(unknown);
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
     * A field the body may not have. Its name is never quoted (a value pasted where a name goes,
     * such as a 40-character access token, looks like a name); the fields the body takes are.
     */
    private static ApiException unknownField(UnrecognizedPropertyException e) {
        String takes = e.getKnownPropertyIds() == null
                ? ""
                : e.getKnownPropertyIds().stream()
                        .map(String::valueOf)
                        .sorted()
                        .collect(Collectors.joining(", ", " It takes: ", "."));
        return new ApiException(
                ErrorCode.INVALID_JSON,
                "The body has a field this request does not take (its name is not shown)." + takes);
    }

    /**
     * {@code keys[0]}, {@code a.b}: the path as the problem's {@code field} names it, through
     * declared fields only: a name that is a key of a map came from the body and is not quoted back.
     */
    private static String fieldPath(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFrom() instanceof Map<?, ?>) {
                break;
            }
            parts.add(reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]");
        }
        return String.join(".", parts).replace(".[", "[");
    }
}
