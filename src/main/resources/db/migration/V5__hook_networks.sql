-- Webhooks cannot be aimed inside (Trust I). Kept to SQL that MySQL 8, MariaDB 10.11 and H2
-- (MySQL mode, dev) all accept.

-- Each project's hook networks: the private networks and host names its hooks may reach, set by
-- an admin. Replaces the gateway-wide vaultgate.restart.allowed-private list every tenant shared.
CREATE TABLE hook_network (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id  BIGINT       NOT NULL,
    entry       VARCHAR(255) NOT NULL,
    created_at  DATETIME     NOT NULL,
    created_by  VARCHAR(255) NOT NULL,
    CONSTRAINT uq_hook_network UNIQUE (project_id, entry),
    CONSTRAINT fk_hook_network_project FOREIGN KEY (project_id) REFERENCES project (id)
);

-- Delivery logs keep an error class, never an exception's text: that text named the addresses
-- and ports tried ("ConnectException: Connection refused: /10.0.0.5:22"). Rewrite what older
-- versions stored into the classes this one writes (restart.DeliveryError).
UPDATE webhook_attempt SET error = CASE
    WHEN error LIKE 'HttpTimeoutException%' THEN 'timeout'
    WHEN error LIKE 'SSL%' THEN 'tls-failed'
    WHEN error LIKE '%does not resolve%' THEN 'dns-failed'
    WHEN error LIKE 'The hook URL%' THEN 'address-refused'
    WHEN error = 'signing failed' THEN 'signing-failed'
    WHEN error = 'interrupted' THEN 'interrupted'
    ELSE 'connection-failed' END
WHERE error IS NOT NULL;

UPDATE webhook_delivery SET last_error = CASE
    WHEN last_error LIKE 'HTTP %' THEN NULL
    WHEN last_error = 'hook removed' OR last_error = 'hook disabled: removed' THEN 'hook-removed'
    WHEN last_error LIKE 'hook disabled%' OR last_error LIKE 'receiver answered 410%' THEN 'hook-disabled'
    WHEN last_error LIKE 'circuit open%' THEN 'postponed'
    WHEN last_error LIKE 'HttpTimeoutException%' THEN 'timeout'
    WHEN last_error LIKE 'SSL%' THEN 'tls-failed'
    WHEN last_error LIKE '%does not resolve%' THEN 'dns-failed'
    WHEN last_error LIKE 'The hook URL%' THEN 'address-refused'
    WHEN last_error = 'signing failed' THEN 'signing-failed'
    WHEN last_error = 'interrupted' THEN 'interrupted'
    ELSE 'connection-failed' END
WHERE last_error IS NOT NULL;
