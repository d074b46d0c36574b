/**
 * The append-only audit log in MySQL: every write with actor, action, scope, key names,
 * change-set, outcome and request id, and the paged read API. It never holds a value.
 */
package io.vaultgate.audit;
