-- Every stored state is spelled as the API spells it (io.vaultgate.web.WireNames): lower case,
-- '-' for '_'. Change-set states, change-set key operations and scope kinds were stored as Java
-- enum names; delivery states, restart modes and audit outcomes already were wire names.
-- Rows only, no DDL: MySQL commits before any DDL, so an ALTER here would split the migration.
UPDATE change_set SET status = LOWER(status);
UPDATE change_set_key SET operation = LOWER(operation);
UPDATE scope_entry SET scope_kind = REPLACE(LOWER(scope_kind), '_', '-');
