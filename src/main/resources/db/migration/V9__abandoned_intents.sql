-- An intent whose writer gave up after a value-store call that may have landed (a timeout, a lost
-- answer): no writer is in flight for it any more, so it is settled as soon as the value store
-- answers (by the next writer of the scope, or the reconciler's next pass), not after stale-after.
ALTER TABLE scope_entry ADD COLUMN pending_abandoned BOOLEAN NOT NULL DEFAULT FALSE;
