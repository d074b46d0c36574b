-- A delete staged with ?force=true skips the requirement check; one staged without it is checked
-- again at release, when the deployments that require the key may have changed.
ALTER TABLE change_set_draft_operation ADD COLUMN forced BOOLEAN NOT NULL DEFAULT FALSE;
