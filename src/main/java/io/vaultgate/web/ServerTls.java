package io.vaultgate.web;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.ssl.ServerSslConfiguration;
import jakarta.inject.Singleton;

/**
 * Checks {@link TlsProperties} when the server's TLS configuration is made, before anything
 * listens: Micronaut's own failure for a missing PEM file names neither the setting nor the fix.
 */
@Singleton
class ServerTls implements BeanCreatedEventListener<ServerSslConfiguration> {

    private final TlsProperties tls;

    ServerTls(TlsProperties tls) {
        this.tls = tls;
    }

    @Override
    public ServerSslConfiguration onCreated(BeanCreatedEvent<ServerSslConfiguration> event) {
        tls.check();
        return event.getBean();
    }
}
