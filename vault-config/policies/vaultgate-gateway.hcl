# vaultgate-gateway: the only policy the gateway's own Vault token holds (never root).
#
# This file is a template: apply.sh replaces {{mount}} with the KV v2 mount the gateway
# is configured with (env VAULTGATE_KV_MOUNT, default "vaultgate") before writing it.
# The mount is a deployment choice, so the policy follows it instead of pinning the name;
# written as-is (without apply.sh) the policy would grant nothing useful.

# Secret values: one KV v2 entry per scope. Every write is a new version with check-and-set,
# and rollback reads an old version (?version=N) and writes it again, so create/read/update
# is enough. Deleting a key is also a new version without that key. Soft delete of whole
# entries (delete, undelete) and permanent destroy are deliberately not granted.
path "{{mount}}/data/*" {
  capabilities = ["create", "read", "update"]
}

# Version history (current_version, oldest_version, versions, deletion times) and listing.
# No delete here: removing all versions and metadata of an entry is not a gateway action.
path "{{mount}}/metadata/*" {
  capabilities = ["read", "list"]
}

# Caller authentication: the gateway looks up the bearer token a caller presents
# (POST auth/token/lookup with {"token": ...}) using its own token, to learn the caller's
# policies (vaultgate-admin, ...), accessor, display name and expiry.
path "auth/token/lookup" {
  capabilities = ["update"]
}

# The gateway's own token: check it at start-up and keep a periodic token alive.
path "auth/token/lookup-self" {
  capabilities = ["read"]
}

path "auth/token/renew-self" {
  capabilities = ["update"]
}

# Later issues add here, not before they are needed:
# - per-deployment ACL policies (sys/policies/acl/vaultgate-deployment-*): create/update/read/delete;
# - the token role(s) workload and operator tokens are minted from (auth/token/create/<role>)
#   and revocation by accessor (auth/token/revoke-accessor, auth/token/lookup-accessor).
