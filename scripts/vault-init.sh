#!/usr/bin/env bash
# Initialises, unseals and configures an OpenBao/Vault server or Raft cluster for Vaultgate:
#   scripts/vault-init.sh KEYS_DIR NODE_ADDR [NODE_ADDR...]
#
# - The first NODE_ADDR that is not initialised, when KEYS_DIR holds no keys yet, is initialised
#   with Shamir shares (VAULT_KEY_SHARES, default 5; VAULT_KEY_THRESHOLD, default 3). The keys and
#   the root token go to KEYS_DIR, owner-only (umask 077), and never to the output.
# - Every sealed node is unsealed with the first THRESHOLD keys from KEYS_DIR: run it again after
#   every start (a restarted node comes back sealed). Followers that join by retry_join are
#   unsealed the same way.
# - vault-config/apply.sh is applied through the active node (idempotent).
# - KEYS_DIR/gateway-token (only vaultgate-gateway: orphan, periodic 24h, as
#   vault-config/README.md says) and KEYS_DIR/admin-token (vaultgate-admin,
#   VAULTGATE_ADMIN_TTL, default 8h) are minted when missing or no longer valid.
#
# VAULT_CACERT: the CA file that signs the nodes' TLS certificates. Needs curl, python3 and the
# `bao` (or `vault`) CLI for apply.sh. Bounded: gives up after VAULT_INIT_TIMEOUT seconds (120).
# Production: prefer auto-unseal (a `seal "transit"` or cloud KMS stanza, vault-config/README.md),
# which makes the unseal step unnecessary and keeps the key shares with their holders.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "vault-init: $*"; }
die() { echo "vault-init: error: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: $0 KEYS_DIR NODE_ADDR [NODE_ADDR...]"
keys_dir=$1
shift
nodes=("$@")
shares=${VAULT_KEY_SHARES:-5}
threshold=${VAULT_KEY_THRESHOLD:-3}
admin_ttl=${VAULTGATE_ADMIN_TTL:-8h}
timeout=${VAULT_INIT_TIMEOUT:-120}
deadline=$((SECONDS + timeout))
tls=()
[ -n "${VAULT_CACERT:-}" ] && tls=(--cacert "$VAULT_CACERT")

umask 077
mkdir -p "$keys_dir"
chmod 700 "$keys_dir"
init_file=$keys_dir/init.json

# One Vault API call: METHOD ADDR PATH [TOKEN_FILE]; the JSON body on stdin. A token goes in a
# header file (curl -H @FILE), never on a command line: ps shows command lines to everyone.
api() {
  local method=$1 addr=$2 path=$3 token_file=${4:-}
  local headers=(-H "Content-Type: application/json")
  [ -n "$token_file" ] && headers+=(-H "@$token_file.header")
  curl -sS --max-time 10 "${tls[@]}" -X "$method" "${headers[@]}" --data-binary @- "$addr/v1/$path"
}

health() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 "${tls[@]}" "$1/v1/sys/health" 2>/dev/null || true
}

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

token_header() {
  printf 'X-Vault-Token: %s\n' "$(cat "$1")" > "$1.header"
}

wait_until() {
  local what=$1
  shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || die "timed out after ${timeout}s waiting for $what"
    sleep 1
  done
}

answers() { [ "$(health "$1")" != "000" ]; }
for node in "${nodes[@]}"; do
  wait_until "$node to answer" answers "$node"
done

# 1. Initialise once.
if [ ! -s "$init_file" ]; then
  first=""
  for node in "${nodes[@]}"; do
    if [ "$(health "$node")" = "501" ]; then first=$node; break; fi
  done
  [ -n "$first" ] || die "no node is uninitialised, but $init_file is missing: the keys are elsewhere"
  printf '{"secret_shares":%d,"secret_threshold":%d}' "$shares" "$threshold" \
    | api PUT "$first" sys/init > "$init_file.tmp"
  json "'ok' if d.get('root_token') else 'no'" < "$init_file.tmp" | grep -qx ok \
    || { rm -f "$init_file.tmp"; die "sys/init on $first failed"; }
  mv "$init_file.tmp" "$init_file"
  json "d['root_token']" < "$init_file" > "$keys_dir/root-token"
  say "initialised $first: $shares key shares (threshold $threshold) and the root token in $keys_dir"
fi
token_header "$keys_dir/root-token"

# 2. Unseal every sealed node. A follower still joining answers 501 until retry_join has reached
# the leader; the unseal keys are what let it finish joining.
unsealed() {
  local node=$1 code i
  code=$(health "$node")
  case "$code" in
    200 | 429 | 473) return 0 ;;
    000) return 1 ;;
  esac
  for ((i = 0; i < threshold; i++)); do
    json "d['keys_base64'][$i]" < "$init_file" | python3 -c 'import json,sys; print(json.dumps({"key": sys.stdin.read().strip()}))' \
      | api PUT "$node" sys/unseal > /dev/null 2>&1 || true
  done
  code=$(health "$node")
  [ "$code" = 200 ] || [ "$code" = 429 ] || [ "$code" = 473 ]
}
for node in "${nodes[@]}"; do
  wait_until "$node to unseal" unsealed "$node"
done
say "unsealed ${#nodes[@]} node(s)"

active=""
find_active() {
  local node
  for node in "${nodes[@]}"; do
    if [ "$(health "$node")" = 200 ]; then active=$node; return 0; fi
  done
  return 1
}
wait_until "an active node" find_active

# 3. Vaultgate's configuration, through the active node.
if command -v vault >/dev/null 2>&1; then cli=vault; else cli=bao; fi
applied() {
  env -u BAO_ADDR -u BAO_TOKEN VAULT_ADDR="$active" VAULT_TOKEN="$(cat "$keys_dir/root-token")" \
    VAULT_CLI="${VAULT_CLI:-$cli}" BAO_CACERT="${VAULT_CACERT:-}" sh "$here/vault-config/apply.sh" > "$keys_dir/apply.log" 2>&1
}
wait_until "vault-config/apply.sh (see $keys_dir/apply.log)" applied
say "applied vault-config/ through $active"

# 4. The gateway's token and an admin token, kept while valid.
valid() {
  [ -s "$1" ] || return 1
  token_header "$1"
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${tls[@]}" -H "@$1.header" "$active/v1/auth/token/lookup-self")" = 200 ]
}
mint() {
  local file=$1 body=$2
  echo "$body" | api POST "$active" auth/token/create "$keys_dir/root-token" | json "d['auth']['client_token']" > "$file.tmp"
  [ -s "$file.tmp" ] || die "could not mint $(basename "$file")"
  mv "$file.tmp" "$file"
  token_header "$file"
}
if ! valid "$keys_dir/gateway-token"; then
  mint "$keys_dir/gateway-token" \
    '{"policies":["vaultgate-gateway"],"no_default_policy":true,"no_parent":true,"period":"24h","display_name":"vaultgate-gateway"}'
  say "minted the gateway's token (vaultgate-gateway only) into $keys_dir/gateway-token"
fi
if ! valid "$keys_dir/admin-token"; then
  mint "$keys_dir/admin-token" \
    "{\"policies\":[\"vaultgate-admin\"],\"ttl\":\"$admin_ttl\",\"display_name\":\"vaultgate-cluster-admin\"}"
  say "minted an admin token (vaultgate-admin, ttl $admin_ttl) into $keys_dir/admin-token"
fi
say "done; active node $active"
