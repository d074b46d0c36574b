package io.vaultgate.web;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Documents a {@code dryRun} query parameter, read by {@link WriteFlags}' rule, in the API contract. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@Schema(
        description = "Answer what would change and who would restart; change nothing. A bare ?dryRun is true.",
        type = "boolean")
@Parameter(allowEmptyValue = true)
public @interface DryRunFlag {}
