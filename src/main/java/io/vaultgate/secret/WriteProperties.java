package io.vaultgate.secret;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How a write is carried out.
 *
 * @param restartThreads threads that work out a write's restart events while the value store
 *                       writes its values; when all are busy, the write's own thread works them
 *                       out before it writes
 */
@ConfigurationProperties("vaultgate.writes")
record WriteProperties(int restartThreads) {}
