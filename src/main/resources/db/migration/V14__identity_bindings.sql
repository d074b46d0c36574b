-- Workload identity federation: a deployment bound to an external identity (an OIDC/JWT issuer,
-- its keys, an audience and claims that must match), and a record of every JWT exchange.
-- Kept to SQL that MySQL 8, MariaDB 10.11 and H2 (MySQL mode, dev) all accept.

-- One binding per deployment; it goes with the deployment. match_hash is a SHA-256 of issuer,
-- audience and claims: two deployments bound to the very same identity would answer every
-- exchange ambiguously, so the second bind is refused.
CREATE TABLE identity_binding (
    deployment_id  BIGINT        NOT NULL PRIMARY KEY,
    project_id     BIGINT        NOT NULL,
    project        VARCHAR(63)   NOT NULL,
    environment    VARCHAR(63)   NOT NULL,
    service        VARCHAR(63)   NOT NULL,
    issuer         VARCHAR(255)  NOT NULL,
    jwks_url       VARCHAR(2048) NULL,
    jwks           TEXT          NULL,
    audience       VARCHAR(512)  NOT NULL,
    claims         TEXT          NOT NULL,
    match_hash     CHAR(64)      NOT NULL,
    bound_at       DATETIME      NOT NULL,
    bound_by       VARCHAR(255)  NOT NULL,
    CONSTRAINT uq_identity_binding_match UNIQUE (match_hash),
    CONSTRAINT fk_identity_binding_deployment FOREIGN KEY (deployment_id) REFERENCES deployment (id)
        ON DELETE CASCADE
);
CREATE INDEX ix_identity_binding_issuer ON identity_binding (issuer);

-- Every exchange of a JWT, accepted or refused: the deployment when one was found, the issuer,
-- and the subject and jti only of a JWT whose signature was verified (never the JWT, never any
-- other claim). The accessor of the token minted, when one was.
CREATE TABLE jwt_exchange (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at             DATETIME      NOT NULL,
    deployment_id  BIGINT        NULL,
    issuer         VARCHAR(255)  NULL,
    subject        VARCHAR(512)  NULL,
    jti            VARCHAR(255)  NULL,
    outcome        VARCHAR(32)   NOT NULL,
    reason         VARCHAR(64)   NULL,
    accessor       VARCHAR(128)  NULL,
    request_id     VARCHAR(128)  NOT NULL
);
CREATE INDEX ix_jwt_exchange_deployment ON jwt_exchange (deployment_id, at);
