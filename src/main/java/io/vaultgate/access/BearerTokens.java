package io.vaultgate.access;

import io.micronaut.http.HttpRequest;
import java.util.Optional;

/** The bearer token of a request, for the one feature that acts as the caller: reads with the caller's own token. */
public final class BearerTokens {

    private BearerTokens() {}

    /** What the token lookup said about the request's token (its remaining uses, expiry), once authenticated. */
    public static Optional<TokenInfo> lookedUp(HttpRequest<?> request) {
        return request.getAttribute(BearerTokenFilter.TOKEN_INFO, TokenInfo.class);
    }

    /** RFC 6750's b64token: what any bearer token looks like, Vault's and the gateway's own. */
    private static final java.util.regex.Pattern TOKEN_SYNTAX = java.util.regex.Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private static final int MAX_TOKEN_LENGTH = 1024;

    /** Whether the text can be a token at all; one that cannot is not worth a lookup. */
    static boolean plausible(String token) {
        return token.length() <= MAX_TOKEN_LENGTH && TOKEN_SYNTAX.matcher(token).matches();
    }

    public static Optional<CallerToken> of(HttpRequest<?> request) {
        String header = request.getHeaders().getAuthorization().orElse("");
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(new CallerToken(token));
        }
        return Optional.empty();
    }
}
