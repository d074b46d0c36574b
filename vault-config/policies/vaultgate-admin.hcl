# vaultgate-admin: marks a caller token as a Vaultgate administrator.
#
# The gateway authorizes by policy *name*: it looks up the caller's token with its own token
# and treats a token whose policies include "vaultgate-admin" as an admin of every project.
# The capabilities below are therefore not what makes someone an admin; they are kept to the
# minimum a token needs to inspect itself, so holding this policy grants nothing in Vault
# beyond what the default policy already grants. Values stay reachable only through the gateway.
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
