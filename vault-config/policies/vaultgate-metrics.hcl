# vaultgate-metrics: marks a caller token as a metrics scraper (Prometheus).
#
# A marker read by name, like vaultgate-admin: the gateway lets a token holding it read
# /prometheus and nothing else (no project, no secret, no token). Metrics carry no value, token
# or accessor, but they do show traffic per route, so only operators read them.
# Grants nothing in Vault beyond lookup-self.
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
