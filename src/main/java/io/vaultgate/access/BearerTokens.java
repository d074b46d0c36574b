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

    /**
     * The token to act as: the one a JWT was exchanged for on this request ({@code GET /v1/env}
     * with a JWT), else the bearer token itself.
     */
    public static Optional<CallerToken> actingAs(HttpRequest<?> request) {
        Optional<CallerToken> exchanged = request.getAttribute(BearerTokenFilter.EXCHANGED_TOKEN, CallerToken.class);
        return exchanged.isPresent() ? exchanged : of(request);
    }

    private static final java.util.regex.Pattern JWT_SYNTAX =
            java.util.regex.Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    static final int MAX_JWT_LENGTH = 8192;

    /**
     * Whether a bearer token is a JWT, told by its structure: three base64url segments, the first a
     * JSON object (a JOSE header). Vault's tokens are never that: {@code hvs.}, {@code s.} and their
     * kin begin with a prefix that is not base64url of a brace, even with a namespace suffix.
     */
    static boolean isJwt(String token) {
        if (token.length() > MAX_JWT_LENGTH || !JWT_SYNTAX.matcher(token).matches()) {
            return false;
        }
        String header = token.substring(0, token.indexOf('.'));
        try {
            byte[] decoded = java.util.Base64.getUrlDecoder().decode(header);
            return decoded.length > 0 && decoded[0] == '{';
        } catch (IllegalArgumentException notBase64url) {
            return false;
        }
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
