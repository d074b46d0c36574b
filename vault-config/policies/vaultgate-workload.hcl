# vaultgate-workload: the one policy every workload token holds, whatever its deployment.
#
# A template in two ways. apply.sh replaces {{mount}} with the KV v2 mount and {{meta.<key>}} with
# Vault's ACL template {{identity.entity.aliases.<token auth accessor>.custom_metadata.<key>}}.
# Vault then fills those in on every request from the entity alias the token is bound to: the
# gateway creates one alias per deployment (named vaultgate-deployment.<mount>.<prefix>.<project>.
# <environment>.<service>, on the token auth method) whose custom metadata holds the deployment's
# path prefix, project, environment, environment type and service. So a token reads exactly its
# deployment's five scope entries, and nothing the gateway can do writes a policy.
#
# A metadata value that is missing leaves its path out; one with a '/' makes Vault refuse the
# whole policy for that token; '*' and '+' are taken literally. Reads never name a version:
# `version` is a denied parameter, so a token cannot reach the older versions of its entries,
# which may hold values deleted since (the gateway reads an older version itself when a write
# is between the two stores, after the token has read the entry's current version).
path "{{mount}}/data/{{meta.prefix}}/{{meta.project}}" {
  capabilities      = ["read"]
  denied_parameters = { "version" = [] }
}

path "{{mount}}/data/{{meta.prefix}}/{{meta.project}}/type/{{meta.environment_type}}" {
  capabilities      = ["read"]
  denied_parameters = { "version" = [] }
}

path "{{mount}}/data/{{meta.prefix}}/{{meta.project}}/env/{{meta.environment}}" {
  capabilities      = ["read"]
  denied_parameters = { "version" = [] }
}

path "{{mount}}/data/{{meta.prefix}}/{{meta.project}}/svc/{{meta.service}}" {
  capabilities      = ["read"]
  denied_parameters = { "version" = [] }
}

path "{{mount}}/data/{{meta.prefix}}/{{meta.project}}/env/{{meta.environment}}/svc/{{meta.service}}" {
  capabilities      = ["read"]
  denied_parameters = { "version" = [] }
}
