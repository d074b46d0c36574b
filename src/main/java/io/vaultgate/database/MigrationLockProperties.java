package io.vaultgate.database;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The lock replicas take around Flyway ({@link MigrationLock}).
 *
 * @param lease how long a holder that stopped renewing (killed mid-migration) keeps the others
 *              out; the holder renews it every third of it
 * @param maxWait how long a replica waits for another one's migration before it gives up starting
 */
@ConfigurationProperties("vaultgate.migration-lock")
public record MigrationLockProperties(Duration lease, Duration maxWait) {}
