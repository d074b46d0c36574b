package io.vaultgate.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;

/**
 * Reads request bodies ourselves rather than through framework binding, so that a parse error
 * can never echo part of the body (which may hold a secret value) and always answers
 * {@code invalid-json} with the line, column or field that is wrong.
 */
public final class JsonBodies {

    private static final ObjectMapper MAPPER = strictMapper();
    private static final java.util.regex.Pattern FIELD_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");

    private JsonBodies() {
    }

    public static <T> T parse(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new ApiException(ErrorCode.INVALID_JSON, "The request needs a JSON body.");
        }
        try {
            T parsed = MAPPER.readValue(body, type);
            if (parsed == null) {
                throw new ApiException(ErrorCode.INVALID_JSON, "The request body must be a JSON object.");
            }
            return parsed;
        } catch (UnrecognizedPropertyException e) {
            throw unknownField(e.getPropertyName());
        } catch (MismatchedInputException e) {
            String field = fieldPath(e);
            throw new ApiException(ErrorCode.INVALID_JSON, field.isEmpty()
                    ? "The request body must be a JSON object."
                    : "Field '" + field + "' has the wrong type.", field.isEmpty() ? null : field);
        } catch (JsonMappingException e) {
            String field = fieldPath(e);
            throw new ApiException(ErrorCode.INVALID_JSON, "Field '" + field + "' could not be read.",
                    field.isEmpty() ? null : field);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
    }

    /** For a body read token by token: the same answer {@link #parse} gives, naming where, never what. */
    public static ApiException notJson(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new ApiException(ErrorCode.INVALID_JSON, "The request body is not valid JSON" + where + ".");
    }

    /**
     * A field the body may not have. Its name is quoted only when it looks like one (a value pasted
     * where a name goes is not echoed back).
     */
    public static ApiException unknownField(String name) {
        if (name != null && FIELD_NAME.matcher(name).matches()) {
            return new ApiException(ErrorCode.INVALID_JSON, "Unknown field '" + name + "'.", name);
        }
        return new ApiException(ErrorCode.INVALID_JSON,
                "The body has a field this request does not take (its name is not shown: it does not look like one).");
    }

    /** No coercion: {@code "value": 42} is a type error, not the string "42". */
    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
