package io.vaultgate.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vaultgate.access.Caller;
import io.vaultgate.access.LookupThrottledException;
import io.vaultgate.access.TokenAuthentication;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.OpenPaths;
import io.vaultgate.web.Problems;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the console's session cookie on every request under {@code /console} and authenticates its
 * token with the API's own lookup ({@link TokenAuthentication}), so a token revoked or expired in
 * Vault ends the session at the next click. A session idle longer than
 * {@code vaultgate.console.idle-timeout}, older than {@code max-age}, or whose token is no longer
 * one of the console's roles, becomes a signed-out one. On the way out it seals the session again
 * (its last use moves on) and adds the headers every console answer carries.
 */
@ServerFilter(patterns = {OpenPaths.CONSOLE, OpenPaths.CONSOLE + "/**"})
class ConsoleFilter implements Ordered {

    static final String COOKIE = "vaultgate_console";
    static final String SESSION = "vaultgate.console.session";
    static final String STATIC = OpenPaths.CONSOLE + "/static/";

    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            "X-Content-Type-Options",
            "nosniff",
            "Referrer-Policy",
            "no-referrer",
            "Cache-Control",
            "no-store",
            "X-Frame-Options",
            "DENY");

    private final SessionSeal seal;
    private final ConsoleProperties properties;
    private final TokenAuthentication authentication;
    private final Clock clock;

    ConsoleFilter(SessionSeal seal, ConsoleProperties properties, TokenAuthentication authentication, Clock clock) {
        this.seal = seal;
        this.properties = properties;
        this.authentication = authentication;
        this.clock = clock;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> openSession(HttpRequest<?> request) {
        if (!seal.on()) {
            return Problems.response(
                    request,
                    ErrorCode.NOT_FOUND,
                    "The console is off on this gateway: set vaultgate.console.session-key to turn it on.",
                    null,
                    Map.of());
        }
        if (request.getPath().startsWith(STATIC)) {
            return null;
        }
        Instant now = clock.instant();
        ConsoleSession session = request.getCookies()
                .findCookie(COOKIE)
                .flatMap(cookie -> seal.open(cookie.getValue()))
                .filter(open -> fresh(open, now))
                .orElseGet(() -> anonymous(now));
        if (session.signedIn()) {
            Optional<Caller> caller;
            try {
                caller = authentication.authenticate(request, session.token());
            } catch (LookupThrottledException throttled) {
                return Problems.response(
                                request,
                                ErrorCode.RATE_LIMITED,
                                "Too many unknown tokens from this address; retry in a second.",
                                null,
                                Map.of())
                        .header("Retry-After", "1");
            }
            if (caller.filter(ConsoleFilter::mayUseTheConsole).isEmpty()) {
                session = anonymous(now);
            }
        }
        request.setAttribute(SESSION, session.seenAt(now));
        return null;
    }

    @ResponseFilter
    void closeSession(HttpRequest<?> request, MutableHttpResponse<?> response) {
        HEADERS.forEach(response.getHeaders()::set);
        request.getAttribute(SESSION, ConsoleSession.class)
                .ifPresent(session -> response.cookie(cookie(request, session)));
    }

    /** The roles of people: a workload token is a container's, and a token with no role may do nothing. */
    static boolean mayUseTheConsole(Caller caller) {
        return caller.role() == Caller.Role.ADMIN
                || caller.role() == Caller.Role.PROJECT_ADMIN
                || caller.role() == Caller.Role.DEPLOYER;
    }

    ConsoleSession anonymous(Instant now) {
        return new ConsoleSession(null, seal.newCsrf(), now, now);
    }

    private boolean fresh(ConsoleSession session, Instant now) {
        return !session.lastSeen().plus(properties.idleTimeout()).isBefore(now)
                && !session.startedAt().plus(properties.maxAge()).isBefore(now)
                && !session.lastSeen().isAfter(now.plusSeconds(60));
    }

    private Cookie cookie(HttpRequest<?> request, ConsoleSession session) {
        return Cookie.of(COOKIE, seal.seal(session))
                .path(OpenPaths.CONSOLE)
                .httpOnly(true)
                .secure(properties.secureCookie() || request.isSecure())
                .sameSite(SameSite.Strict);
    }

    /** After the bearer-token filter's place (0), before the chunked-body count (1), like it. */
    @Override
    public int getOrder() {
        return 0;
    }
}
