package io.vaultgate.access;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import io.vaultgate.web.RequestIds;
import jakarta.inject.Singleton;
import java.util.Optional;

/** Lets a route that changes something take its {@link Actor}: the authenticated caller and the request id. */
@Singleton
class ActorBinder implements TypedRequestArgumentBinder<Actor> {

    @Override
    public Argument<Actor> argumentType() {
        return Argument.of(Actor.class);
    }

    @Override
    public BindingResult<Actor> bind(ArgumentConversionContext<Actor> context, HttpRequest<?> source) {
        Optional<Actor> actor = CallerBinder.callerOf(source).map(caller -> Actor.of(caller, RequestIds.of(source)));
        return () -> actor;
    }
}
