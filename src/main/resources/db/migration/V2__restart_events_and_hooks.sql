-- Restart events (the outbox and the pull feed) and webhook delivery. Names and ids only:
-- never a value, never a signing secret (those live in the value store).

CREATE TABLE restart_event (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_id         VARCHAR(40)  NOT NULL,
    project_id       BIGINT       NOT NULL,
    deployment_id    BIGINT       NOT NULL,
    environment      VARCHAR(63)  NOT NULL,
    service          VARCHAR(63)  NOT NULL,
    reason           VARCHAR(32)  NOT NULL,
    change_set_ids   MEDIUMTEXT   NOT NULL,
    key_names        MEDIUMTEXT   NOT NULL,
    config_revision  CHAR(64)     NOT NULL,
    actor            VARCHAR(255) NOT NULL,
    created_at       DATETIME     NOT NULL,
    deliver_after    DATETIME     NOT NULL,
    CONSTRAINT uq_restart_event_id UNIQUE (event_id),
    CONSTRAINT fk_restart_event_project FOREIGN KEY (project_id) REFERENCES project (id)
);
CREATE INDEX ix_restart_event_feed ON restart_event (project_id, id);
CREATE INDEX ix_restart_event_open ON restart_event (deployment_id, deliver_after);

CREATE TABLE webhook (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    hook_id          VARCHAR(40)   NOT NULL,
    project_id       BIGINT        NOT NULL,
    url              VARCHAR(2048) NOT NULL,
    environments     VARCHAR(4096) NULL,
    enabled          BOOLEAN       NOT NULL,
    disabled_reason  VARCHAR(255)  NULL,
    created_at       DATETIME      NOT NULL,
    created_by       VARCHAR(255)  NOT NULL,
    CONSTRAINT uq_webhook_id UNIQUE (hook_id),
    CONSTRAINT fk_webhook_project FOREIGN KEY (project_id) REFERENCES project (id)
);

-- One row per (event, hook), inserted in the event's transaction: the dispatcher claims due
-- rows with SELECT ... FOR UPDATE SKIP LOCKED on (status, next_attempt_at), leases them, and
-- sends after commit. An expired lease makes a row claimable again: at-least-once delivery.
CREATE TABLE webhook_delivery (
    id                BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    delivery_id       VARCHAR(40)   NOT NULL,
    webhook_id        BIGINT        NOT NULL,
    event_id          VARCHAR(40)   NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    attempts          INT           NOT NULL,
    next_attempt_at   DATETIME      NOT NULL,
    lease_until       DATETIME      NULL,
    last_status_code  INT           NULL,
    last_error        VARCHAR(512)  NULL,
    created_at        DATETIME      NOT NULL,
    delivered_at      DATETIME      NULL,
    CONSTRAINT uq_webhook_delivery_id UNIQUE (delivery_id),
    CONSTRAINT fk_delivery_webhook FOREIGN KEY (webhook_id) REFERENCES webhook (id),
    CONSTRAINT fk_delivery_event FOREIGN KEY (event_id) REFERENCES restart_event (event_id)
);
CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (status, next_attempt_at, id);
CREATE INDEX ix_webhook_delivery_hook ON webhook_delivery (webhook_id, id);

CREATE TABLE webhook_attempt (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    delivery_id   BIGINT       NOT NULL,
    attempt       INT          NOT NULL,
    attempted_at  DATETIME     NOT NULL,
    status_code   INT          NULL,
    error         VARCHAR(512) NULL,
    duration_ms   BIGINT       NOT NULL,
    CONSTRAINT fk_attempt_delivery FOREIGN KEY (delivery_id) REFERENCES webhook_delivery (id)
);
CREATE INDEX ix_webhook_attempt_delivery ON webhook_attempt (delivery_id, attempt);

-- Whether a change emits restart events (?restart=none does not); the audit records the choice.
ALTER TABLE change_set ADD COLUMN restart_mode VARCHAR(8) NOT NULL DEFAULT 'events';
ALTER TABLE audit_log ADD COLUMN restart_mode VARCHAR(8) NULL;
