package io.vaultgate.console;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.cors.CorsFilter;
import io.micronaut.http.server.util.HttpHostResolver;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.resource.StaticResourceResolver;
import io.vaultgate.web.OpenPaths;

/**
 * Micronaut's CORS filter, but not on the console's paths. Behind {@code Referrer-Policy:
 * no-referrer} a browser sends every form as {@code Origin: null}, and on a gateway reached as
 * localhost the CORS filter refuses any origin that is not localhost (its guard against drive-by
 * requests to local servers), so no console form could be sent in dev mode. The console checks
 * the origin of its forms itself ({@link ConsoleGuard}): {@code Sec-Fetch-Site}, any real
 * {@code Origin}, the SameSite=Strict cookie and the session's CSRF token.
 */
@Replaces(CorsFilter.class)
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
class ConsoleCors extends CorsFilter {

    ConsoleCors(
            HttpServerConfiguration.CorsConfiguration configuration,
            StaticResourceResolver staticResources,
            Router router,
            HttpHostResolver hosts) {
        super(configuration, staticResources, router, hosts);
    }

    @Override
    public boolean isEnabled(HttpRequest<?> request) {
        String path = request.getPath();
        return !(path.equals(OpenPaths.CONSOLE) || path.startsWith(OpenPaths.CONSOLE + "/"))
                && super.isEnabled(request);
    }
}
