package io.vaultgate.web;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * The rules every JSON request body is bound by, set once on the mapper the framework binds
 * bodies with: no unknown field, no duplicate key, nothing after the object, and no coercion
 * ({@code "value": 42} is a type error, not the string "42"; {@code 2.5} is not a version; a
 * single value is not a list). A body that breaks one answers 400 {@code invalid-json} naming
 * where, never quoting what ({@link JsonBodies}). A whole number written with a zero fraction
 * ({@code 3.0}) is that number, as the JSON Schema of the API contract reads it.
 */
@Singleton
class StrictJson implements BeanCreatedEventListener<ObjectMapper> {

    @Override
    public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
        return configure(event.getBean());
    }

    @SuppressWarnings("deprecation")
    static ObjectMapper configure(ObjectMapper mapper) {
        mapper.enable(
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // The framework's own mapper takes "a" where ["a"] goes, and ["a"] where "a" goes.
        mapper.disable(
                DeserializationFeature.ACCEPT_FLOAT_AS_INT,
                DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS);
        // A null in a list or a map ({"KEY": null}) is no element, not one to leave out.
        mapper.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        // A MapperFeature is set on the built mapper (deprecated for that): the framework builds it.
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("whole-numbers")
                .addDeserializer(Integer.class, new WholeIntegers(Integer.class, null))
                .addDeserializer(int.class, new WholeIntegers(Integer.TYPE, 0)));
        return mapper;
    }

    /**
     * An integer field takes {@code 3} and {@code 3.0} (JSON Schema's {@code integer} holds both)
     * and refuses {@code 2.5}, which Jackson would otherwise refuse whole or truncate to 2. Every
     * other token, null included, is Jackson's own integer rule.
     */
    private static final class WholeIntegers extends StdScalarDeserializer<Integer> {

        private final NumberDeserializers.IntegerDeserializer standard;

        WholeIntegers(Class<Integer> type, Integer nullValue) {
            super(type);
            this.standard = new NumberDeserializers.IntegerDeserializer(type, nullValue);
        }

        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
                return standard.deserialize(p, ctxt);
            }
            try {
                return p.getDecimalValue().intValueExact();
            } catch (ArithmeticException notWhole) {
                return (Integer) ctxt.handleWeirdNumberValue(handledType(), p.getNumberValue(), "not a whole number");
            }
        }

        @Override
        public Integer getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            return standard.getNullValue(ctxt);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Integer;
        }
    }
}
