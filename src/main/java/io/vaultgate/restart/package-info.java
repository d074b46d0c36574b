/**
 * Restart events: which deployments a change really restarts ({@link io.vaultgate.restart.Impact}),
 * the transactional outbox, the webhook dispatcher (signed per Standard Webhooks, retried,
 * circuit-broken, dead-lettered) and the pull feed, whose long-polls wait on one
 * {@link io.vaultgate.restart.FeedWatcher} per replica without a thread or a connection each.
 * Events name keys, never values.
 */
package io.vaultgate.restart;
