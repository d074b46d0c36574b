package io.vaultgate.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Errors the framework raises itself (no route, wrong method, body too large, unknown media
 * type, unhandled exceptions) also answer problem+json. The framework's own messages are never
 * copied: a conversion error may quote the request body, which can hold a secret value.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext errorContext, MutableHttpResponse<?> response) {
        ErrorCode code = codeFor(response.getStatus());
        Problem problem = Problem.of(code, detailFor(code), null, RequestIds.of(errorContext.getRequest()), Map.of());
        MutableHttpResponse<Problem> problemResponse = response.contentType(MediaType.of(Problem.MEDIA_TYPE))
                .body(problem);
        return errorContext.getRequest().getMethod() == HttpMethod.HEAD ? problemResponse.body(null) : problemResponse;
    }

    private static ErrorCode codeFor(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> ErrorCode.METHOD_NOT_ALLOWED;
            case UNSUPPORTED_MEDIA_TYPE -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case REQUEST_ENTITY_TOO_LARGE -> ErrorCode.REQUEST_TOO_LARGE;
            case UNAUTHORIZED -> ErrorCode.UNAUTHENTICATED;
            case FORBIDDEN -> ErrorCode.FORBIDDEN;
            case BAD_REQUEST -> ErrorCode.INVALID_REQUEST;
            default -> ErrorCode.INTERNAL;
        };
    }

    private static String detailFor(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> "No such resource.";
            case METHOD_NOT_ALLOWED -> "This method is not allowed on this resource.";
            case UNSUPPORTED_MEDIA_TYPE -> "Send application/json (or text/plain for an import).";
            case REQUEST_TOO_LARGE -> "The request body is larger than the server accepts.";
            case INVALID_REQUEST -> "The request could not be read.";
            default -> "The request failed; quote the request id when reporting it.";
        };
    }
}
