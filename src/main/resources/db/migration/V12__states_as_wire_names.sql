-- Every stored state is spelled as the API spells it (io.vaultgate.web.WireNames): lower case,
-- '-' for '_'. Change-set states, change-set key operations and scope kinds were stored as Java
-- enum names; delivery states, restart modes and audit outcomes already were wire names.
UPDATE change_set SET status = LOWER(status);
UPDATE change_set_key SET operation = LOWER(operation);
UPDATE scope_entry SET scope_kind = REPLACE(LOWER(scope_kind), '_', '-');
ALTER TABLE scope_entry MODIFY scope_kind VARCHAR(32) NOT NULL;
