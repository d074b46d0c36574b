package io.vaultgate.web;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says in the API contract which problem answers a route can give, each an
 * {@code application/problem+json} {@link Problem} whose codes the response names
 * ({@code src/main/openapi/components.yml}, checked against {@link ErrorCode}). Only statuses
 * the route really answers are listed, so a contract test catches any other.
 *
 * <p>On every {@code /v1} controller: what any authenticated route can answer, whatever it does.
 * The bearer-token filter answers 401, and 429 to an address that presents too many unknown
 * tokens; looking the token up can fail in Vault (502, 503) or the database (503); the caller's
 * role can fall short (403); the framework refuses an {@code Accept} the route cannot meet (406).
 * Before any of that, Netty refuses a request line or headers longer than it reads (414, 431),
 * whichever route the request names.
 * Add the nested annotations for the rest, on the controller when all its routes answer them, else
 * on the route.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ApiResponse(responseCode = "401", ref = ProblemResponses.RESPONSES + "Unauthorized")
@ApiResponse(responseCode = "403", ref = ProblemResponses.RESPONSES + "Forbidden")
@ApiResponse(responseCode = "406", ref = ProblemResponses.RESPONSES + "NotAcceptable")
@ApiResponse(responseCode = "414", ref = ProblemResponses.RESPONSES + "UriTooLong")
@ApiResponse(responseCode = "429", ref = ProblemResponses.RESPONSES + "TooManyRequests")
@ApiResponse(responseCode = "431", ref = ProblemResponses.RESPONSES + "HeadersTooLarge")
@ApiResponse(responseCode = "500", ref = ProblemResponses.RESPONSES + "InternalError")
@ApiResponse(responseCode = "502", ref = ProblemResponses.RESPONSES + "BadGateway")
@ApiResponse(responseCode = "503", ref = ProblemResponses.RESPONSES + "ServiceUnavailable")
public @interface ProblemResponses {

    String RESPONSES = "#/components/responses/";

    /** 400: the route takes an input (path variable, query parameter, header or body) it can refuse. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "400", ref = RESPONSES + "BadRequest")
    @interface BadRequest {}

    /** 404: the route names something (a project, a secret, a hook...) that may not exist. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "404", ref = RESPONSES + "NotFound")
    @interface NotFound {}

    /**
     * 400, 413 and 415: the route reads a body, which can be malformed, larger than the route
     * reads, or of a media type it does not read.
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "400", ref = RESPONSES + "BadRequest")
    @ApiResponse(responseCode = "413", ref = RESPONSES + "ContentTooLarge")
    @ApiResponse(responseCode = "415", ref = RESPONSES + "UnsupportedMediaType")
    @interface Body {}

    /** 409: the write depends on state another request can change. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "409", ref = RESPONSES + "Conflict")
    @interface Conflict {}

    /** 410: the route reads an old version's value, which the value store may have dropped. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "410", ref = RESPONSES + "Gone")
    @interface Gone {}

    /** 422: the route takes an {@code Idempotency-Key}, which a different request may have used. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "422", ref = RESPONSES + "UnprocessableContent")
    @interface Idempotent {}
}
