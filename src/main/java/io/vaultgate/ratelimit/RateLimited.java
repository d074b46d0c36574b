package io.vaultgate.ratelimit;

import io.micronaut.http.annotation.FilterMatcher;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller (or a route) whose writes, {@code POST}, {@code PUT}, {@code PATCH} and {@code DELETE},
 * count against the caller's limits; {@code ?dryRun=true} ones against the dry-run limit. Reads
 * are never limited.
 */
@FilterMatcher
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimited {}
