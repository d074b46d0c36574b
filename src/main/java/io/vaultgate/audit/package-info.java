/**
 * The append-only audit log in MySQL: every write with its {@code Actor}, action, scope, key
 * names, change-set, outcome and request id, and the paged read API. Secret dry runs are audited
 * too (outcome {@code dry-run}), and a secret row names the keys answered {@code unchanged}: such an
 * answer confirms a guessed value, so guessing leaves a trace. It never holds a value. It owns the
 * {@link io.vaultgate.audit.ProjectIds} port, which the catalog implements.
 */
package io.vaultgate.audit;
