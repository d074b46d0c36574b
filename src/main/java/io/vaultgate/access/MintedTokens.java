package io.vaultgate.access;

/**
 * What the gateway knows of the tokens it minted itself. A project role (project admin, deployer,
 * workload) needs a token minted here and not revoked, and such a token's first lookup is never
 * throttled. The identity feature keeps that record; this package only asks.
 */
public interface MintedTokens {

    /** Whether the presented token is one this gateway minted and has not revoked. */
    boolean mintedHere(String token);

    /** Whether the token with this accessor is one this gateway minted and has not revoked. */
    boolean live(String accessor);
}
