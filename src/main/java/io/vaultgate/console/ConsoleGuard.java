package io.vaultgate.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.access.CallerBinder;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.RequestIds;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The one way a console route learns who is signed in. A page asks {@link #read}; a form asks
 * {@link #write} with the CSRF token it carried, so a route cannot reach the caller of a form
 * without checking that the form came from this session's own page: the synchronizer token must
 * match the session's, and a browser's {@code Sec-Fetch-Site} and {@code Origin} must say the
 * form came from this gateway. A form with no session, a wrong or missing token, or from another origin is refused
 * with 403 {@code forbidden} before anything is done.
 */
@Singleton
class ConsoleGuard {

    /** Who is signed in, as the API would bind them, and the CSRF token its forms carry. */
    record Signed(Caller caller, Actor actor, String csrf) {}

    /** Thrown for a page asked without a session: the console answers with the sign-in page. */
    static final class SignInNeeded extends RuntimeException {
        SignInNeeded() {
            super("sign in first", null, false, false);
        }
    }

    Signed read(HttpRequest<?> request) {
        ConsoleSession session = session(request);
        if (!session.signedIn()) {
            throw new SignInNeeded();
        }
        return signed(request, session);
    }

    Signed write(HttpRequest<?> request, @Nullable String csrf) {
        ConsoleSession session = session(request);
        requireSameOrigin(request);
        if (!session.signedIn()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This form needs a session: sign in, then send it again.");
        }
        requireCsrf(session, csrf);
        return signed(request, session);
    }

    /** The sign-in form: no one is signed in yet, but the form must still come from this session's page. */
    void signIn(HttpRequest<?> request, @Nullable String csrf) {
        requireSameOrigin(request);
        requireCsrf(session(request), csrf);
    }

    /** The CSRF token for the forms of a page shown to anyone, signed in or not. */
    String csrf(HttpRequest<?> request) {
        return session(request).csrf();
    }

    /** The request's session, for sealing a form's carried state to it ({@link SessionSeal#sealForm}). */
    static ConsoleSession session(HttpRequest<?> request) {
        return request.getAttribute(ConsoleFilter.SESSION, ConsoleSession.class)
                .orElseThrow(() -> new IllegalStateException("the console filter did not run"));
    }

    private static Signed signed(HttpRequest<?> request, ConsoleSession session) {
        Caller caller = CallerBinder.callerOf(request)
                .orElseThrow(() -> new IllegalStateException("a signed-in session without its caller"));
        return new Signed(caller, Actor.of(caller, RequestIds.of(request)), session.csrf());
    }

    private static void requireCsrf(ConsoleSession session, @Nullable String csrf) {
        if (csrf == null
                || !MessageDigest.isEqual(
                        session.csrf().getBytes(StandardCharsets.US_ASCII), csrf.getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN,
                    "This form's CSRF token does not match your session: reload the page and send it again.");
        }
    }

    /**
     * Browsers send {@code Sec-Fetch-Site} with every form post, and {@code Origin}; under the
     * console's {@code Referrer-Policy: no-referrer} that origin is {@code null}, so it counts
     * only when it names a site, and then it must be this gateway. {@code Origin: null} is taken
     * only with {@code Sec-Fetch-Site: same-origin} (a sandboxed frame elsewhere also sends
     * {@code null}, but as cross-site). A client that sends neither header is not a browser
     * another site can drive, and still needs the session's CSRF token.
     */
    private static void requireSameOrigin(HttpRequest<?> request) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            throw crossOrigin();
        }
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (origin == null) {
            return;
        }
        if (origin.equals("null")) {
            if (site == null) {
                throw crossOrigin();
            }
            return;
        }
        String host = request.getHeaders().get(HttpHeaders.HOST);
        URI from;
        try {
            from = URI.create(origin);
        } catch (IllegalArgumentException notAnOrigin) {
            throw crossOrigin();
        }
        String authority = from.getRawAuthority();
        if (host == null || authority == null || !authority.equalsIgnoreCase(host)) {
            throw crossOrigin();
        }
    }

    private static ApiException crossOrigin() {
        return new ApiException(ErrorCode.FORBIDDEN, "Forms are taken only from this console's own pages.");
    }
}
