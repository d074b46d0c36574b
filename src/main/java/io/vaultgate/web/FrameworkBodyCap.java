package io.vaultgate.web;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.HttpServerConfiguration;
import jakarta.inject.Singleton;

/**
 * Keeps the framework's own body cap ({@code micronaut.server.max-request-size}) above every
 * route's limit ({@link RequestLimitsProperties}), so that a body too large for its route is
 * always refused by {@link BodySizeFilter} with 413 {@code request-too-large}: when the
 * framework's cap tripped first, on a body whose length was not announced (chunked, or
 * compressed), Netty closed the exchange with an empty 503 that clients retry.
 */
@Singleton
class FrameworkBodyCap implements BeanCreatedEventListener<HttpServerConfiguration> {

    /** Room above the largest route limit for the chunk during which the filter's count stops the body. */
    static final long HEADROOM = 1024 * 1024;

    private final RequestLimitsProperties limits;

    FrameworkBodyCap(RequestLimitsProperties limits) {
        this.limits = limits;
    }

    @Override
    public HttpServerConfiguration onCreated(BeanCreatedEvent<HttpServerConfiguration> event) {
        HttpServerConfiguration server = event.getBean();
        long atLeast = limits.largest() + HEADROOM;
        if (server.getMaxRequestSize() < atLeast) {
            server.setMaxRequestSize(atLeast);
        }
        return server;
    }
}
