package io.vaultgate.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.Map;

/** Builds problem+json responses; shared by the exception handlers and the filters. */
public final class Problems {

    private Problems() {}

    public static MutableHttpResponse<Problem> response(
            HttpRequest<?> request, ErrorCode code, String detail, String field, Map<String, Object> extensions) {
        Problem problem = Problem.of(code, detail, field, RequestIds.of(request), extensions);
        return challenged(
                HttpResponse.<Problem>status(code.status())
                        .contentType(MediaType.of(Problem.MEDIA_TYPE))
                        .body(problem),
                code);
    }

    /** A 401 names the scheme to authenticate with (RFC 9110 11.6.1), whichever path answered it. */
    static <T> MutableHttpResponse<T> challenged(MutableHttpResponse<T> response, ErrorCode code) {
        return code.status() == HttpStatus.UNAUTHORIZED
                ? response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                : response;
    }
}
