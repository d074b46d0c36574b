package io.vaultgate.secret;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Input limits.
 *
 * @param valueBytes largest value, in bytes of UTF-8
 * @param scopeBytes largest scope entry (all its keys and values), in bytes of UTF-8
 * @param importKeys most keys in one import
 */
@ConfigurationProperties("vaultgate.limits")
record LimitsProperties(int valueBytes, int scopeBytes, int importKeys) {
}
