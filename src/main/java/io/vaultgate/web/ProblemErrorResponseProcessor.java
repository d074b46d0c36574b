package io.vaultgate.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * Errors the framework raises itself (no route, wrong method, body too large, request line or
 * headers too large, unknown media type, unhandled exceptions) also answer problem+json. The framework's own messages are never
 * copied: a conversion error may quote the request body, which can hold a secret value.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext errorContext, MutableHttpResponse<?> response) {
        ErrorCode code = oversizedHead(errorContext.getRequest()).orElseGet(() -> codeFor(response.getStatus()));
        Problem problem = Problem.of(code, detailFor(code), null, RequestIds.of(errorContext.getRequest()), Map.of());
        MutableHttpResponse<Problem> problemResponse = Problems.challenged(
                response.status(code.status())
                        .contentType(MediaType.of(Problem.MEDIA_TYPE))
                        .body(problem),
                code);
        return errorContext.getRequest().getMethod() == HttpMethod.HEAD ? problemResponse.body(null) : problemResponse;
    }

    /**
     * Netty refuses a request line or header block past micronaut.server.netty's limits before any
     * route sees it, and the framework answers both 413 as if a body were too large; say which it was.
     */
    private static Optional<ErrorCode> oversizedHead(HttpRequest<?> request) {
        if (!(request instanceof NettyHttpRequest<?> netty)) {
            return Optional.empty();
        }
        Throwable refusal = netty.getNativeRequest().decoderResult().cause();
        if (refusal instanceof TooLongHttpLineException) {
            return Optional.of(ErrorCode.REQUEST_LINE_TOO_LONG);
        }
        if (refusal instanceof TooLongHttpHeaderException) {
            return Optional.of(ErrorCode.HEADERS_TOO_LARGE);
        }
        return Optional.empty();
    }

    private static ErrorCode codeFor(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> ErrorCode.METHOD_NOT_ALLOWED;
            case NOT_ACCEPTABLE -> ErrorCode.NOT_ACCEPTABLE;
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
            case NOT_ACCEPTABLE -> "This resource answers none of the media types the Accept header asks for.";
            case UNSUPPORTED_MEDIA_TYPE -> "Send application/json (or text/plain for an import).";
            case REQUEST_TOO_LARGE -> "The request body is larger than the server accepts.";
            case REQUEST_LINE_TOO_LONG ->
                "The request line (method, path and query) is longer than the server accepts.";
            case HEADERS_TOO_LARGE -> "The request headers are larger than the server accepts.";
            case INVALID_REQUEST -> "The request could not be read.";
            default -> "The request failed; quote the request id when reporting it.";
        };
    }
}
