package io.vaultgate.changeset;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Change-set drafts' timing.
 *
 * @param releaseInterval how often each replica releases the scheduled drafts that are due, settles
 *                        drafts left releasing, and deletes the Vault entries of closed drafts
 * @param releasingLease  how long a draft's releaser is taken to be alive, on the database's clock:
 *                        within it nobody else records its outcome; after it a change-set never
 *                        begun is fenced and the draft returns to draft, a committed one is
 *                        recorded with the restarts it made
 */
@ConfigurationProperties("vaultgate.change-sets")
record ChangeSetProperties(Duration releaseInterval, Duration releasingLease) {}
