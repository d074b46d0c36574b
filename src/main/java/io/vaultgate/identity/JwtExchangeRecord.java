package io.vaultgate.identity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One exchange of a JWT, accepted or refused. Subject and jti only of a JWT whose signature was
 * verified: an unverified claim is whatever the sender wrote, and could be anything pasted.
 *
 * @param outcome {@code succeeded} or {@code refused}
 * @param reason  why it was refused, in the words the answer used ({@code expired}, {@code audience}, …)
 */
@MappedEntity("jwt_exchange")
record JwtExchangeRecord(
        @Id @GeneratedValue @Nullable Long id,
        Instant at,
        @Nullable Long deploymentId,
        @Nullable String issuer,
        @Nullable String subject,
        @Nullable String jti,
        String outcome,
        @Nullable String reason,
        @Nullable String accessor,
        String requestId) {}
