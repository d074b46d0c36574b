package io.vaultgate.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders a {@link RetryLaterException} like any {@link ApiException}, plus {@code Retry-After} in whole seconds. */
@Singleton
@Produces(Problem.MEDIA_TYPE)
class RetryLaterExceptionHandler implements ExceptionHandler<RetryLaterException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, RetryLaterException exception) {
        long seconds = Math.max(1, (exception.retryAfter().toMillis() + 999) / 1000);
        return Problems.response(
                        request,
                        exception.errorCode(),
                        exception.getMessage(),
                        exception.field(),
                        exception.extensions())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
    }
}
