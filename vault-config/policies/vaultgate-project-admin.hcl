# vaultgate-project-admin: marks a caller token as the admin of ONE project.
#
# Like vaultgate-admin, a marker read by name: the gateway looks the token up with its own token
# and treats a token holding this policy as the admin of the project named in its metadata
# ("project"), set when the gateway minted it (POST /v1/projects/{p}/operator-tokens, admin only,
# through the vaultgate-operator token role). Holding it grants nothing in Vault beyond lookup-self;
# values stay reachable only through the gateway.
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
