-- Test only (scripts/rolling-upgrade-check.sh): an expand-only migration, as docs/upgrading.md asks
-- of a release, added to a replica through flyway.datasources.default.locations. A nullable column
-- the previous release never names, and an index that refuses nothing.
ALTER TABLE change_set ADD COLUMN rollout_probe VARCHAR(64) NULL, ALGORITHM=INPLACE, LOCK=NONE;
CREATE INDEX change_set_rollout_probe ON change_set (rollout_probe) ALGORITHM=INPLACE LOCK=NONE;
