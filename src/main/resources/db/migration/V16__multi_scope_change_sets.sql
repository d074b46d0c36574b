-- A change-set may write several scope entries of one project at once (a change-set draft's
-- release): one row per entry it writes, with the acknowledged version it builds from and the
-- version it wrote. change_set.scope_entry_id stays the first of them (by entry path), so a
-- single-scope change-set, which has no row here, reads as it always did.
-- Kept to SQL that MySQL 8, MariaDB 10.11 and H2 (MySQL mode, dev) all accept.
CREATE TABLE change_set_scope (
    id                  BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    change_set_id       VARCHAR(36) NOT NULL,
    scope_entry_id      BIGINT      NOT NULL,
    base_vault_version  INT         NOT NULL,
    new_vault_version   INT         NULL,
    CONSTRAINT uq_change_set_scope UNIQUE (change_set_id, scope_entry_id),
    CONSTRAINT fk_change_set_scope_to_change_set FOREIGN KEY (change_set_id) REFERENCES change_set (id),
    CONSTRAINT fk_change_set_scope_to_entry FOREIGN KEY (scope_entry_id) REFERENCES scope_entry (id)
);

-- Which entry a key of a multi-scope change-set is at (one key may change at two scopes of one
-- release); null for a single-scope change-set, whose keys are all at its own entry.
ALTER TABLE change_set_key ADD COLUMN scope_entry_id BIGINT NULL;

-- The change-set draft a release applies, for its audit row (also when the reconciler settles it).
ALTER TABLE change_set ADD COLUMN draft_id VARCHAR(64) NULL;
