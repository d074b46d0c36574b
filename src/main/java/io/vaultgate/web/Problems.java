package io.vaultgate.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.Map;

/** Builds problem+json responses; shared by the exception handlers and the auth filter. */
public final class Problems {

    private Problems() {}

    public static MutableHttpResponse<Problem> response(
            HttpRequest<?> request, ErrorCode code, String detail, String field, Map<String, Object> extensions) {
        Problem problem = Problem.of(code, detail, field, RequestIds.of(request), extensions);
        return HttpResponse.<Problem>status(code.status())
                .contentType(MediaType.of(Problem.MEDIA_TYPE))
                .body(problem);
    }
}
