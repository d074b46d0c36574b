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

# Deployments as identities: one ACL policy per deployment, named
# vaultgate-deployment.<mount>.<path prefix>.<project>.<environment>.<service>, read on its scope
# entries only. The gateway writes, rewrites and deletes them, and no other policy. ({{policy_mount}}
# is the mount with '/' as '.', lower case, as Vault lower-cases policy names.)
path "sys/policies/acl/vaultgate-deployment.{{policy_mount}}.*" {
  capabilities = ["create", "read", "update", "delete"]
}

# Tokens: workload tokens through the vaultgate-workload role (orphan, one deployment policy,
# no default policy) and operator tokens through vaultgate-operator (vaultgate-project-admin or
# vaultgate-deployer). The roles, not this policy, bound which policies a token may get; the
# gateway never needs sudo or the right to create tokens with its own policies.
path "auth/token/create/vaultgate-workload" {
  capabilities = ["update"]
}

path "auth/token/create/vaultgate-operator" {
  capabilities = ["update"]
}

# Revocation by accessor: DELETE /v1/tokens/{accessor} and revoke-all of a deployment. The
# gateway revokes only accessors it recorded when minting.
path "auth/token/revoke-accessor" {
  capabilities = ["update"]
}
