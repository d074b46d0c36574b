-- Found by bench/run.sh curves, which EXPLAINs what a boot fetch and a write run on 100,000
-- secrets and 1,000,000 audit rows. Kept to SQL that MySQL 8, MariaDB 10.11 and H2 (MySQL mode,
-- dev) all accept.

-- The dispatcher's claim finds the hooks that have work (one dive per hook on status, hook) and
-- reads each hook's oldest due rows (status, hook, in id order, the next attempt read from the
-- index itself), at most the hook's share: a claim then reads what it may take, not the whole
-- backlog of due deliveries.
CREATE INDEX ix_webhook_delivery_hook_due ON webhook_delivery (status, webhook_id, id, next_attempt_at);

-- The reconciler looks for abandoned intents on every replica every 10 s; almost no row is one,
-- so it reads those few rather than every scope entry.
CREATE INDEX ix_scope_entry_abandoned ON scope_entry (pending_abandoned);
