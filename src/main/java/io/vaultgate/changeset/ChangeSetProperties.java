package io.vaultgate.changeset;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Change-set drafts' timing.
 *
 * @param releaseInterval how often each replica releases the scheduled drafts that are due, settles
 *                        drafts left releasing, and deletes the Vault entries of closed drafts
 * @param releasingLease  how long a draft may stay releasing while its change-set was never begun
 *                        before it returns to draft (its releaser died between the two)
 */
@ConfigurationProperties("vaultgate.change-sets")
record ChangeSetProperties(Duration releaseInterval, Duration releasingLease) {}
