package io.vaultgate.secret;

import io.swagger.v3.oas.annotations.media.Schema;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents a write's {@code Idempotency-Key} header in the API contract, by {@link SecretWrite}'s
 * rule: 1 to 255 characters, not all blank (a header value's only blanks are spaces and tabs).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@Schema(
        description = "Makes a retried write apply once: the same key with the same request answers the first"
                + " answer again (replayed); with a different request, 422.",
        minLength = 1,
        maxLength = 255,
        pattern = "[^ \\t]")
@interface IdempotencyKey {}
