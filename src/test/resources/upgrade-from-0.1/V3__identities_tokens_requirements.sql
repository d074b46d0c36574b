-- Identities and boot delivery (issue 3). Accessors and hashes only: never a token, never a value.
-- Kept to SQL that MySQL 8, MariaDB 10.11 and H2 (MySQL mode, dev) all accept.

-- Every token this gateway minted, by accessor: for the audit and to revoke all tokens of a
-- deployment. The token itself is handed out once and stored nowhere.
CREATE TABLE issued_token (
    accessor       VARCHAR(128) NOT NULL PRIMARY KEY,
    kind           VARCHAR(16)  NOT NULL,
    role           VARCHAR(32)  NOT NULL,
    project_id     BIGINT       NOT NULL,
    project        VARCHAR(63)  NOT NULL,
    environment    VARCHAR(63)  NULL,
    service        VARCHAR(63)  NULL,
    deployment_id  BIGINT       NULL,
    boot_fetches   INT          NOT NULL,
    created_at     DATETIME     NOT NULL,
    expires_at     DATETIME     NOT NULL,
    created_by     VARCHAR(255) NOT NULL,
    revoked_at     DATETIME     NULL,
    revoked_by     VARCHAR(255) NULL,
    CONSTRAINT fk_issued_token_project FOREIGN KEY (project_id) REFERENCES project (id)
);
CREATE INDEX ix_issued_token_deployment ON issued_token (deployment_id, expires_at);

-- The keys a service declares it needs (in every environment it runs in).
CREATE TABLE service_requirement (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    service_id  BIGINT       NOT NULL,
    key_name    VARCHAR(256) NOT NULL,
    created_at  DATETIME     NOT NULL,
    created_by  VARCHAR(255) NOT NULL,
    CONSTRAINT uq_service_requirement UNIQUE (service_id, key_name),
    CONSTRAINT fk_service_requirement_service FOREIGN KEY (service_id) REFERENCES service (id)
);

-- Dev mode's token authority (production never writes these: Vault is the authority there).
-- A token is kept only as its SHA-256; uses_left NULL means unlimited, 0 used up.
CREATE TABLE local_token (
    token_hash    CHAR(64)      NOT NULL PRIMARY KEY,
    accessor      VARCHAR(128)  NOT NULL,
    display_name  VARCHAR(255)  NOT NULL,
    policies      VARCHAR(2048) NOT NULL,
    metadata      VARCHAR(2048) NOT NULL,
    expires_at    DATETIME      NOT NULL,
    uses_left     INT           NULL,
    revoked       BOOLEAN       NOT NULL,
    CONSTRAINT uq_local_token_accessor UNIQUE (accessor)
);

CREATE TABLE local_policy (
    name   VARCHAR(512) NOT NULL PRIMARY KEY,
    paths  MEDIUMTEXT   NOT NULL
);
