package io.vaultgate.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders every {@link ApiException} as problem+json: the one place errors become HTTP. */
@Singleton
@Produces(Problem.MEDIA_TYPE)
class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ApiException exception) {
        return Problems.response(
                request, exception.errorCode(), exception.getMessage(), exception.field(), exception.extensions());
    }
}
