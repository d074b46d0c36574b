# vaultgate-deployer: marks a caller token as the deployer of ONE project.
#
# A marker read by name, like vaultgate-admin: the gateway lets a token holding it mint and revoke
# the workload tokens of the project named in its metadata ("project") and read that project's
# metadata, nothing else. Minted by an admin through the gateway (vaultgate-operator token role).
# Grants nothing in Vault beyond lookup-self.
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
