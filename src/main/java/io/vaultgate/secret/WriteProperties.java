package io.vaultgate.secret;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How a write is carried out.
 *
 * @param restartThreads threads that work out a write's restart events while the value store
 *                       writes its values; when all are busy, the write's own thread works them
 *                       out before it writes
 * @param commitThreads  threads that commit a write's metadata while the value store writes its
 *                       values, each holding a MySQL connection until the store answers; when all
 *                       are busy, the writer commits after its write
 */
@ConfigurationProperties("vaultgate.writes")
record WriteProperties(int restartThreads, int commitThreads) {}
