package io.vaultgate.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A console page asked without a session answers with the way to sign in. */
@Singleton
class SignInRedirect implements ExceptionHandler<ConsoleGuard.SignInNeeded, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, ConsoleGuard.SignInNeeded exception) {
        return ConsolePages.seeOther(SignInController.SIGN_IN);
    }
}
