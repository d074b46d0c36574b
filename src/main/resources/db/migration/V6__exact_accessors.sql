-- Accessors compare exactly: under MySQL's default case-insensitive collation, revoking
-- "ABC..." found the record of "abc...", answered 204 and left the real token working.
ALTER TABLE issued_token MODIFY accessor VARCHAR(128) NOT NULL COLLATE utf8mb4_bin;

-- Each replica reads the revocations of the last moments every second (identity's revocation
-- sync), so a token revoked through one replica stops working on all of them at once.
CREATE INDEX ix_issued_token_revoked ON issued_token (revoked_at);
