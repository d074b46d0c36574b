-- The rollout ledger: which revision each instance of a deployment last received, through which
-- token accessor and from where, so a pipeline can wait until a change is everywhere. Written by
-- delivery.RolloutRecorder's periodic flush, never by a boot fetch itself. An instance id is
-- display only (a header the caller chose); accessors only, never a token or a value.
-- Kept to SQL that MySQL 8, MariaDB 10.11 and H2 (MySQL mode, dev) all accept.

CREATE TABLE rollout_instance (
    deployment_id   BIGINT       NOT NULL,
    -- 'i:' + the instance id a caller sent, or 'a:' + the accessor of a caller that sent none.
    instance_key    VARCHAR(160) NOT NULL,
    instance        VARCHAR(128) NULL,
    token_accessor  VARCHAR(128) NOT NULL,
    revision        CHAR(64)     NOT NULL,
    booted_at       DATETIME     NOT NULL,
    last_seen_at    DATETIME     NOT NULL,
    from_fallback   BOOLEAN      NOT NULL,
    PRIMARY KEY (deployment_id, instance_key)
);
CREATE INDEX ix_rollout_instance_seen ON rollout_instance (last_seen_at);
CREATE INDEX ix_rollout_instance_deployment_seen ON rollout_instance (deployment_id, last_seen_at);
