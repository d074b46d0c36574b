-- Dev mode's token authority; only dev mode's migrations (flyway locations in application-dev.yml)
-- create it: in production Vault is the authority. IF NOT EXISTS: a data folder made by 0.1
-- already has these tables, from a production migration that no longer creates them.
-- bound_to: a workload token reads by the deployment identity it is bound to.
-- A token is kept only as its SHA-256; uses_left NULL means unlimited, 0 used up.
CREATE TABLE IF NOT EXISTS local_token (
    token_hash    CHAR(64)      NOT NULL PRIMARY KEY,
    accessor      VARCHAR(128)  NOT NULL,
    display_name  VARCHAR(255)  NOT NULL,
    policies      VARCHAR(2048) NOT NULL,
    metadata      VARCHAR(2048) NOT NULL,
    expires_at    DATETIME      NOT NULL,
    uses_left     INT           NULL,
    revoked       BOOLEAN       NOT NULL,
    bound_to      VARCHAR(512)  NULL,
    CONSTRAINT uq_local_token_accessor UNIQUE (accessor)
);

CREATE TABLE IF NOT EXISTS local_policy (
    name   VARCHAR(512) NOT NULL PRIMARY KEY,
    paths  MEDIUMTEXT   NOT NULL
);
