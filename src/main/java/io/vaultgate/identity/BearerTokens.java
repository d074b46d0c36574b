package io.vaultgate.identity;

import io.micronaut.http.HttpRequest;
import io.vaultgate.vault.CallerToken;
import io.vaultgate.vault.TokenInfo;
import java.util.Optional;

/** The bearer token of a request, for the one feature that acts as the caller: reads with the caller's own token. */
public final class BearerTokens {

    private BearerTokens() {
    }

    /** What the token lookup said about the request's token (its remaining uses, expiry), once authenticated. */
    public static Optional<TokenInfo> lookedUp(HttpRequest<?> request) {
        return request.getAttribute(BearerTokenFilter.TOKEN_INFO, TokenInfo.class);
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
