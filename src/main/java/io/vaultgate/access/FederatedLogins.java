package io.vaultgate.access;

/**
 * Workload identity federation as the bearer-token filter needs it: a JWT presented on
 * {@code GET /v1/env} turned into a workload token good for that one boot fetch. Implemented by
 * the feature that mints tokens ({@code identity}); a refusal is an {@code ApiException}.
 */
public interface FederatedLogins {

    /** Mints a token for one boot fetch of the deployment bound to this JWT. */
    Login forOneFetch(String jwt, String requestId);

    /** The token minted (never printed) and what a lookup of it would say. */
    record Login(CallerToken token, TokenInfo info) {}
}
