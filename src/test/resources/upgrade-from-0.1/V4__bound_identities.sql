-- Dev mode's token authority: a workload token reads by the deployment identity it is bound to
-- (production: a Vault entity alias), not by a policy of its own.
ALTER TABLE local_token ADD COLUMN bound_to VARCHAR(512) NULL;
