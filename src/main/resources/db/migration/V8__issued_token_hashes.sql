-- A SHA-256 of each token this gateway mints (never the token): a token presented later is known
-- as one of ours before Vault is asked about it, so floods of garbage tokens, which are budgeted,
-- never stand in the way of a workload's first boot fetch. NULL for tokens minted before.
ALTER TABLE issued_token ADD COLUMN token_hash CHAR(64) NULL;
CREATE UNIQUE INDEX uq_issued_token_hash ON issued_token (token_hash);
