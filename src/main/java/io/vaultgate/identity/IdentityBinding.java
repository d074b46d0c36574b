package io.vaultgate.identity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A deployment bound to an external identity: JWTs from {@code issuer}, signed by a key of its
 * key set (fetched from {@code jwksUrl}, or {@code jwks} given inline), for {@code audience},
 * whose claims hold every one of {@code claims}. The slugs are kept beside the ids (a slug never
 * changes) so an exchange finds the deployment without another table.
 *
 * @param jwks      a static JWK set (public keys only) as JSON; null when {@code jwksUrl} is set
 * @param claims    the claims that must match, as a JSON object of strings
 * @param matchHash SHA-256 of issuer, audience and claims: one identity binds one deployment at most
 */
@MappedEntity("identity_binding")
record IdentityBinding(
        @Id Long deploymentId,
        Long projectId,
        String project,
        String environment,
        String service,
        String issuer,
        @Nullable String jwksUrl,
        @Nullable String jwks,
        String audience,
        String claims,
        String matchHash,
        Instant boundAt,
        String boundBy) {

    /** Where its keys come from: one fetched source is shared by every binding naming the same URL. */
    String keySource() {
        return jwksUrl != null ? "url:" + jwksUrl : "inline:" + IssuedTokens.hashOf(jwks);
    }
}
