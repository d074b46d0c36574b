package io.vaultgate.access;

import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Turns a token presented with a request into its {@link Caller}, the one way for both doors: the
 * bearer header of the API ({@link BearerTokenFilter}) and the console's session. Either way the
 * token is looked up under the same budget per source ({@link LookupGuard}) and the caller is
 * bound to the request, so routes and services meet the same caller whichever door it came by.
 */
@Singleton
public class TokenAuthentication {

    private final TokenIntrospection tokens;
    private final AuthProperties properties;
    private final LookupGuard guard;
    private final MintedTokens issued;

    TokenAuthentication(TokenIntrospection tokens, AuthProperties properties, LookupGuard guard, MintedTokens issued) {
        this.tokens = tokens;
        this.properties = properties;
        this.guard = guard;
        this.issued = issued;
    }

    /**
     * The token's caller, bound to the request; empty when the token is unknown, expired, revoked
     * or cannot be a token at all.
     *
     * @throws LookupThrottledException when this source presented too many unknown tokens
     */
    public Optional<Caller> authenticate(HttpRequest<?> request, CallerToken token) {
        if (!BearerTokens.plausible(token.token())) {
            return Optional.empty();
        }
        Optional<TokenInfo> info = tokens.lookup(token.token(), guard.admissionFor(source(request)));
        if (info.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(bind(request, info.get()));
    }

    /** Binds the caller a token's facts make to the request, as every door must. */
    Caller bind(HttpRequest<?> request, TokenInfo info) {
        Caller caller = Access.callerOf(info, properties, issued::live);
        request.setAttribute(BearerTokenFilter.CALLER, caller);
        request.setAttribute(BearerTokenFilter.TOKEN_INFO, info);
        return caller;
    }

    /** Whether this source may present one more credential the gateway does not know yet (a JWT). */
    boolean admitUnknown(HttpRequest<?> request) {
        return guard.admitUnknown(source(request));
    }

    /** Whether a caller may use management endpoints (paths outside {@code /v1/}). */
    void requireMetricsReader(Caller caller) {
        Access.requireMetricsReader(caller, properties);
    }

    /**
     * The client's address: the peer of the connection, or behind a proxy that sets it, the header
     * {@code vaultgate.auth.client-address-header} names. Never {@code Forwarded} or
     * {@code X-Forwarded-For} on their own (Micronaut's resolver trusts them by default): any
     * client can write those, and a budget per made-up address is no budget.
     */
    private String source(HttpRequest<?> request) {
        String header = properties.clientAddressHeader();
        if (header != null) {
            String forwarded = request.getHeaders().get(header);
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.strip();
            }
        }
        return request.getRemoteAddress().getAddress().getHostAddress();
    }
}
