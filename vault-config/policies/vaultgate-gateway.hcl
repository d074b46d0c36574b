# vaultgate-gateway: the only policy the gateway's own Vault token holds (never root).
#
# This file is a template: apply.sh replaces {{mount}} with the KV v2 mount the gateway is
# configured with (env VAULTGATE_KV_MOUNT, default "vaultgate"), {{policy_mount}} with the same
# name in lower case with '/' as '.', and {{token_accessor}} with the accessor of the token auth
# method, before writing it. Written as-is the policy grants nothing useful.
#
# Nothing here yields a token or a policy that reaches outside the KV mount or holds sudo: the
# gateway writes no policy, its token roles mint only their own fixed policies, and the one
# identity write it may make creates entity aliases that start a new, policy-less entity.
# vault-config/README.md lists what the token can and cannot do; GatewayTokenEscalationIT
# tries each escalation against a real server.

# Secret values: one KV v2 entry per scope. Every write is a new version with check-and-set,
# and rollback reads an old version (?version=N) and writes it again, so create/read/update
# is enough, plus patch: an entry of more keys than one request may carry (the listener's
# JSON limits) is written in steps, each a check-and-set merge patch of the keys
# that differ. Deleting a key is also a new version without that key. Soft delete of whole
# entries (delete, undelete) and permanent destroy are deliberately not granted.
path "{{mount}}/data/*" {
  capabilities = ["create", "read", "update", "patch"]
}

# Version history (current_version, oldest_version, versions, deletion times) and listing.
# No delete here: removing all versions and metadata of an entry is not a gateway action.
path "{{mount}}/metadata/*" {
  capabilities = ["read", "list"]
}

# Change-set drafts: staged values wait in one entry per draft, <prefix>/<project>/draft/<id>,
# until the draft is released, rejected or discarded; then the whole entry (every version and its
# metadata) is deleted, so no staged value outlives its draft. Only that shape of path: a scope's
# entry never has "draft" as its second segment, so no scope's history can be deleted. Read and
# list are repeated because the most specific path of a policy is the only one Vault applies.
path "{{mount}}/metadata/+/+/draft/+" {
  capabilities = ["read", "list", "delete"]
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

# Deployments as identities: one entity alias per deployment on the token auth method, named in
# the gateway's own namespace, carrying the deployment's slugs as custom metadata that the
# vaultgate-workload policy is templated on. Creating an alias that exists updates its metadata
# (a deployment follows its environment's type that way). Only these three parameters pass:
# no canonical_id, so an alias can never be bound to an existing entity (and inherit its
# policies or groups), and no other auth method's accessor.
path "identity/entity-alias" {
  capabilities = ["create", "update"]
  allowed_parameters = {
    "name"            = ["vaultgate-deployment.{{policy_mount}}.*"]
    "mount_accessor"  = ["{{token_accessor}}"]
    "custom_metadata" = []
  }
}

# The accessor of the token auth method, which the aliases above name. Lists auth methods only.
path "sys/auth" {
  capabilities = ["read"]
}

# Tokens: workload tokens through the vaultgate-workload role (orphan, only the vaultgate-workload
# policy, bound to a deployment alias) and operator tokens through vaultgate-operator
# (vaultgate-project-admin or vaultgate-deployer). The roles, not this policy, bound which
# policies a token may get; the gateway never needs sudo or the right to create other tokens.
path "auth/token/create/vaultgate-workload" {
  capabilities = ["update"]
}

path "auth/token/create/vaultgate-operator" {
  capabilities = ["update"]
}

# Revocation by accessor: DELETE /v1/tokens/{accessor} and revoke-all of a deployment. The
# gateway revokes only accessors it recorded when minting. Vault cannot narrow this path to the
# tokens of a role: see vault-config/README.md, "What the gateway's token can do to other tokens".
path "auth/token/revoke-accessor" {
  capabilities = ["update"]
}
