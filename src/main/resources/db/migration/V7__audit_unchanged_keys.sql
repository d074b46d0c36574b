-- Trust I, item 5: an answer of "unchanged" tells the caller the value they sent is the stored
-- one, so the audit names, per row, the keys a write or dry run answered that way. Names only.
-- Kept to SQL that MySQL 8, MariaDB 10.11 and H2 (MySQL mode, dev) all accept.
ALTER TABLE audit_log ADD COLUMN unchanged_keys MEDIUMTEXT NULL;
