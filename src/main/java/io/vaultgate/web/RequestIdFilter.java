package io.vaultgate.web;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Gives every request an id before anything else runs, and echoes it on the response. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
class RequestIdFilter implements Ordered {

    static final int ORDER = HIGHEST_PRECEDENCE;

    @RequestFilter
    void assign(HttpRequest<?> request) {
        RequestIds.assign(request);
    }

    @ResponseFilter
    void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header(RequestIds.HEADER, RequestIds.of(request));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
