package io.vaultgate.secret;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The write protocol's timing.
 *
 * @param interval   how often the reconciler looks for change-sets a crash left pending
 * @param staleAfter how old a pending change-set must be before anyone but its writer settles it
 * @param lockWait   how long a writer waits for another write to the same scope before answering 409
 */
@ConfigurationProperties("vaultgate.reconciler")
record ReconcilerProperties(Duration interval, Duration staleAfter, Duration lockWait) {}
