-- Change-set drafts (io.vaultgate.changeset): operations staged for review, their approvals, and
-- the approval rules per environment type. Names, scopes, operations and versions only: a staged
-- value lives in the draft's own Vault entry ({prefix}/{project}/draft/{id}), never here.
-- Kept to SQL that MySQL 8, MariaDB 10.11 and H2 (MySQL mode, dev) all accept.

CREATE TABLE change_set_draft (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id          BIGINT        NOT NULL,
    description         VARCHAR(1000) NOT NULL,
    -- draft, scheduled, releasing, released, rejected, discarded
    state               VARCHAR(16)   NOT NULL,
    -- Moves on every staged operation; an approval counts only at the revision it approved.
    revision            INT           NOT NULL,
    -- The draft entry's Vault version that holds the values of this revision (0: none yet).
    vault_version       INT           NOT NULL,
    author_accessor     VARCHAR(128)  NOT NULL,
    author_name         VARCHAR(255)  NULL,
    created_at          DATETIME(3)   NOT NULL,
    updated_at          DATETIME(3)   NOT NULL,
    not_before          DATETIME(3)   NULL,
    -- Who asked for the release (a scheduled release runs as them).
    released_by         VARCHAR(128)  NULL,
    released_by_name    VARCHAR(255)  NULL,
    release_request_id  VARCHAR(128)  NULL,
    -- The applied change_set's id, recorded before the release begins.
    applied_change_set  VARCHAR(36)   NULL,
    releasing_since     DATETIME(3)   NULL,
    released_at         DATETIME(3)   NULL,
    -- The restarts the release answered (environment, service and key names; never a value).
    release_restarts    TEXT          NULL,
    failure_code        VARCHAR(64)   NULL,
    failure_detail      VARCHAR(1000) NULL,
    failure_at          DATETIME(3)   NULL,
    -- Whether the draft's Vault entry still has to be deleted (released, rejected, discarded).
    entry_to_delete     BOOLEAN       NOT NULL,
    CONSTRAINT fk_change_set_draft_project FOREIGN KEY (project_id) REFERENCES project (id)
);
CREATE INDEX ix_change_set_draft_project_state ON change_set_draft (project_id, state);
CREATE INDEX ix_change_set_draft_state_due ON change_set_draft (state, not_before);

CREATE TABLE change_set_draft_operation (
    draft_id          VARCHAR(36)  NOT NULL,
    entry_path        VARCHAR(255) NOT NULL,
    key_name          VARCHAR(256) NOT NULL,
    -- set or delete
    operation         VARCHAR(8)   NOT NULL,
    -- The key's live version when it was staged (or the expectedVersion sent); 0: absent.
    reviewed_version  INT          NOT NULL,
    staged_revision   INT          NOT NULL,
    staged_at         DATETIME(3)  NOT NULL,
    PRIMARY KEY (draft_id, entry_path, key_name),
    CONSTRAINT fk_change_set_draft_operation FOREIGN KEY (draft_id) REFERENCES change_set_draft (id)
);

CREATE TABLE change_set_approval (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    draft_id       VARCHAR(36)  NOT NULL,
    revision       INT          NOT NULL,
    accessor       VARCHAR(128) NOT NULL,
    display_name   VARCHAR(255) NULL,
    approved_at    DATETIME(3)  NOT NULL,
    CONSTRAINT fk_change_set_approval_draft FOREIGN KEY (draft_id) REFERENCES change_set_draft (id)
);
CREATE INDEX ix_change_set_approval_draft ON change_set_approval (draft_id, revision);

-- A staging request sent with an Idempotency-Key, and what it answered: a retry answers the same.
CREATE TABLE change_set_stage_request (
    idempotency_hash  CHAR(64)     NOT NULL PRIMARY KEY,
    route             VARCHAR(600) NOT NULL,
    draft_id          VARCHAR(36)  NOT NULL,
    answer            TEXT         NOT NULL,
    created_at        DATETIME(3)  NOT NULL
);

CREATE TABLE approval_rule (
    project_id          BIGINT      NOT NULL,
    environment_type    VARCHAR(16) NOT NULL,
    approvals           INT         NOT NULL,
    author_may_approve  BOOLEAN     NOT NULL,
    updated_at          DATETIME(3) NOT NULL,
    updated_by          VARCHAR(128) NOT NULL,
    PRIMARY KEY (project_id, environment_type),
    CONSTRAINT fk_approval_rule_project FOREIGN KEY (project_id) REFERENCES project (id)
);
