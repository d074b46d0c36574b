package io.vaultgate.access;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;
import java.util.Optional;

/** Lets a controller method take the authenticated {@link Caller} as a parameter, and filters find it. */
@Singleton
public class CallerBinder implements TypedRequestArgumentBinder<Caller> {

    /** The caller the bearer-token filter authenticated; empty before it ran or when it refused. */
    public static Optional<Caller> callerOf(HttpRequest<?> request) {
        return request.getAttribute(BearerTokenFilter.CALLER, Caller.class);
    }

    @Override
    public Argument<Caller> argumentType() {
        return Argument.of(Caller.class);
    }

    @Override
    public BindingResult<Caller> bind(ArgumentConversionContext<Caller> context, HttpRequest<?> source) {
        Optional<Caller> caller = callerOf(source);
        return () -> caller;
    }
}
