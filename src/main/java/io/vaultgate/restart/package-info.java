/**
 * Restart events: which deployments a change really restarts ({@link io.vaultgate.restart.Impact}),
 * the transactional outbox, the webhook dispatcher (signed per Standard Webhooks, retried,
 * circuit-broken, dead-lettered) and the pull feed. Events name keys, never values.
 */
package io.vaultgate.restart;
