package io.vaultgate.secret;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Input limits. Public so that other features bound their lists by the same figures.
 *
 * @param valueBytes largest value, in bytes of UTF-8
 * @param scopeBytes largest scope entry (all its keys and values), in bytes of UTF-8
 * @param importKeys most keys in one import, and in any other list of keys a request carries
 * @param scopeKeys  most keys one scope holds: with the value store's per-request key limit it
 *                   bounds the versions a single write may take
 */
@ConfigurationProperties("vaultgate.limits")
public record LimitsProperties(int valueBytes, int scopeBytes, int importKeys, int scopeKeys) {}
