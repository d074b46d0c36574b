-- Metadata only: no table here ever holds a secret value or a plain token.
-- Kept to SQL that MySQL 8, MariaDB 10.11 and H2 (MySQL mode, dev) all accept.

CREATE TABLE project (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    slug        VARCHAR(63)  NOT NULL,
    created_at  DATETIME     NOT NULL,
    created_by  VARCHAR(255) NOT NULL,
    CONSTRAINT uq_project_slug UNIQUE (slug)
);

CREATE TABLE environment (
    id          BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id  BIGINT      NOT NULL,
    slug        VARCHAR(63) NOT NULL,
    type        VARCHAR(16) NOT NULL,
    created_at  DATETIME    NOT NULL,
    updated_at  DATETIME    NOT NULL,
    CONSTRAINT uq_environment_slug UNIQUE (project_id, slug),
    CONSTRAINT fk_environment_project FOREIGN KEY (project_id) REFERENCES project (id)
);

CREATE TABLE service (
    id          BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id  BIGINT      NOT NULL,
    slug        VARCHAR(63) NOT NULL,
    created_at  DATETIME    NOT NULL,
    CONSTRAINT uq_service_slug UNIQUE (project_id, slug),
    CONSTRAINT fk_service_project FOREIGN KEY (project_id) REFERENCES project (id)
);

CREATE TABLE deployment (
    id              BIGINT   NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id      BIGINT   NOT NULL,
    environment_id  BIGINT   NOT NULL,
    service_id      BIGINT   NOT NULL,
    created_at      DATETIME NOT NULL,
    CONSTRAINT uq_deployment UNIQUE (environment_id, service_id),
    CONSTRAINT fk_deployment_project FOREIGN KEY (project_id) REFERENCES project (id),
    CONSTRAINT fk_deployment_environment FOREIGN KEY (environment_id) REFERENCES environment (id),
    CONSTRAINT fk_deployment_service FOREIGN KEY (service_id) REFERENCES service (id)
);

-- One row per scope that has ever held a secret: the KV entry that holds its values, the entry
-- version MySQL has acknowledged, and the change-set (if any) currently writing it. The pending
-- marker serialises writers of one scope without holding a transaction across the Vault call.
CREATE TABLE scope_entry (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id          BIGINT       NOT NULL,
    entry_path          VARCHAR(255) NOT NULL,
    scope_kind          VARCHAR(32)  NOT NULL,
    vault_version       INT          NOT NULL,
    pending_change_set  VARCHAR(36)  NULL,
    pending_since       DATETIME     NULL,
    CONSTRAINT uq_scope_entry_path UNIQUE (entry_path),
    CONSTRAINT fk_scope_entry_project FOREIGN KEY (project_id) REFERENCES project (id)
);

CREATE TABLE secret (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    scope_entry_id    BIGINT       NOT NULL,
    key_name          VARCHAR(256) NOT NULL,
    version           INT          NOT NULL,
    vault_version     INT          NOT NULL,
    deleted           BOOLEAN      NOT NULL,
    created_at        DATETIME     NOT NULL,
    created_by        VARCHAR(255) NOT NULL,
    updated_at        DATETIME     NOT NULL,
    updated_by        VARCHAR(255) NOT NULL,
    last_accessed_at  DATETIME     NULL,
    CONSTRAINT uq_secret_key UNIQUE (scope_entry_id, key_name),
    CONSTRAINT fk_secret_scope_entry FOREIGN KEY (scope_entry_id) REFERENCES scope_entry (id)
);

-- A change-set is recorded as an intent (PENDING) before Vault is written, and completed
-- (COMMITTED) or given up (ABORTED) after; the reconciler finishes what a crash left PENDING.
CREATE TABLE change_set (
    id                  VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id          BIGINT       NOT NULL,
    scope_entry_id      BIGINT       NOT NULL,
    action              VARCHAR(32)  NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    base_vault_version  INT          NOT NULL,
    new_vault_version   INT          NULL,
    actor               VARCHAR(255) NOT NULL,
    actor_name          VARCHAR(255) NULL,
    request_id          VARCHAR(128) NOT NULL,
    idempotency_hash    CHAR(64)     NULL,
    idempotency_path    VARCHAR(1024) NULL,
    created_at          DATETIME     NOT NULL,
    completed_at        DATETIME     NULL,
    CONSTRAINT uq_change_set_idempotency UNIQUE (idempotency_hash),
    CONSTRAINT fk_change_set_scope_entry FOREIGN KEY (scope_entry_id) REFERENCES scope_entry (id)
);
CREATE INDEX ix_change_set_status ON change_set (status, created_at);

-- The keys a change-set touches and what it does to each: names only.
CREATE TABLE change_set_key (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    change_set_id  VARCHAR(36)  NOT NULL,
    key_name       VARCHAR(256) NOT NULL,
    operation      VARCHAR(16)  NOT NULL,
    CONSTRAINT fk_change_set_key FOREIGN KEY (change_set_id) REFERENCES change_set (id)
);
CREATE INDEX ix_change_set_key ON change_set_key (change_set_id);

CREATE TABLE secret_version (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    secret_id      BIGINT       NOT NULL,
    version        INT          NOT NULL,
    vault_version  INT          NOT NULL,
    deleted        BOOLEAN      NOT NULL,
    change_set_id  VARCHAR(36)  NOT NULL,
    actor          VARCHAR(255) NOT NULL,
    created_at     DATETIME     NOT NULL,
    CONSTRAINT uq_secret_version UNIQUE (secret_id, version),
    CONSTRAINT fk_secret_version_secret FOREIGN KEY (secret_id) REFERENCES secret (id)
);
CREATE INDEX ix_secret_version_change_set ON secret_version (change_set_id);

CREATE TABLE audit_log (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id     BIGINT       NULL,
    recorded_at    DATETIME     NOT NULL,
    actor          VARCHAR(255) NOT NULL,
    actor_name     VARCHAR(255) NULL,
    action         VARCHAR(64)  NOT NULL,
    scope          VARCHAR(512) NOT NULL,
    key_names      MEDIUMTEXT   NOT NULL,
    change_set_id  VARCHAR(36)  NULL,
    outcome        VARCHAR(32)  NOT NULL,
    error_code     VARCHAR(64)  NULL,
    request_id     VARCHAR(128) NOT NULL
);
CREATE INDEX ix_audit_project ON audit_log (project_id, id);
CREATE INDEX ix_audit_change_set ON audit_log (change_set_id);
