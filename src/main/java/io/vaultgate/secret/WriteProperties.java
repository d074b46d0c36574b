package io.vaultgate.secret;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * How a write is carried out.
 *
 * @param restartThreads threads that work out a write's restart events while the value store
 *                       writes its values; when all are busy, the write's own thread works them
 *                       out before it writes
 * @param commitThreads  threads that commit a write's metadata while the value store writes its
 *                       values, each holding a MySQL connection (and the scope's rows) until the
 *                       store answers; when all are busy, or 0, the writer commits after its write
 * @param commitWait     how long such a commit waits for the store's answer before it rolls back
 *                       and leaves the commit to the writer, after its write
 */
@ConfigurationProperties("vaultgate.writes")
record WriteProperties(int restartThreads, int commitThreads, Duration commitWait) {}
