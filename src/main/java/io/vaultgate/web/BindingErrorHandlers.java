package io.vaultgate.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.codec.CodecException;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JacksonExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedRouteHandler;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.web.router.exceptions.UnsatisfiedBodyRouteException;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jakarta.inject.Singleton;

/**
 * A request the framework could not bind to a route's parameters answers like every other bad
 * input: problem+json with a stable code and the field, and never the framework's own message,
 * which quotes what was sent (a body may hold a secret value). A JSON body's errors are worded by
 * {@link JsonBodies}.
 */
final class BindingErrorHandlers {

    private BindingErrorHandlers() {}

    private static HttpResponse<Problem> answer(HttpRequest<?> request, ApiException problem) {
        return Problems.response(
                request, problem.errorCode(), problem.getMessage(), problem.field(), problem.extensions());
    }

    /** A JSON body that does not parse or does not fit the route's record, however the framework wraps it. */
    private static HttpResponse<Problem> jsonOrInput(HttpRequest<?> request, Throwable failure, String argument) {
        return answer(
                request,
                JsonBodies.problemOf(failure)
                        .orElseGet(() -> new ApiException(
                                ErrorCode.INVALID_REQUEST,
                                "'" + argument + "' could not be read as what this request takes.",
                                argument)));
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    @Replaces(JacksonExceptionHandler.class)
    static class Jackson implements ExceptionHandler<JsonProcessingException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, JsonProcessingException exception) {
            return answer(request, JsonBodies.problemOf(exception));
        }
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    @Replaces(JsonExceptionHandler.class)
    static class Syntax implements ExceptionHandler<JsonSyntaxException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, JsonSyntaxException exception) {
            return jsonOrInput(request, exception, "body");
        }
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    static class Codec implements ExceptionHandler<CodecException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, CodecException exception) {
            return jsonOrInput(request, exception, "body");
        }
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    @Replaces(ConversionErrorHandler.class)
    static class Conversion implements ExceptionHandler<ConversionErrorException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ConversionErrorException exception) {
            return jsonOrInput(request, exception, exception.getArgument().getName());
        }
    }

    @Singleton
    @Produces(Problem.MEDIA_TYPE)
    @Replaces(UnsatisfiedRouteHandler.class)
    static class Unsatisfied implements ExceptionHandler<UnsatisfiedRouteException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, UnsatisfiedRouteException exception) {
            if (exception instanceof UnsatisfiedBodyRouteException) {
                return answer(request, JsonBodies.missingBody(request));
            }
            String name = exception.getArgument().getName();
            return answer(request, new ApiException(ErrorCode.INVALID_REQUEST, "'" + name + "' is required.", name));
        }
    }
}
