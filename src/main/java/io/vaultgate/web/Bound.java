package io.vaultgate.web;

import io.swagger.v3.oas.annotations.Parameter;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route parameter the gateway binds from what it already worked out (the caller, the actor, the
 * scope a path names, the write flags) rather than one more input: the API contract leaves it out,
 * and documents the inputs it comes from where they are declared.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@Parameter(hidden = true)
public @interface Bound {}
