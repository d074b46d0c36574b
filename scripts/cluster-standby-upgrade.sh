#!/usr/bin/env bash
# Writes through an OpenBao standby while its leader upgrades a KV mount just enabled:
#   scripts/cluster-standby-upgrade.sh
#
# Right after `secrets enable` (or an upgrade), a standby answers writes to the new mount with 400
# "Waiting for the primary to upgrade" for a few seconds. Nothing was applied and it passes on its
# own, so the gateway must answer it as Vault unavailable (503 value-store-unavailable with
# Retry-After), never 502 value-store-failed. This starts gateway-4 on a standby directly (MySQL
# through the balancer) with a new mount as its KV mount and a token holding vaultgate-gateway
# plus that mount's paths, enables the mount through the leader and writes through gateway-4 at
# once, until three writes in a row succeed (at most 60 s). Exit 1 on any answer other than 2xx
# or that 503, exit 2 when no write fell in the window (nothing was shown). Disables the mount
# and stops gateway-4 at the end; takes the cluster down unless VAULTGATE_CLUSTER_KEEP=1.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"

out=$(mktemp)
hdr=$(mktemp)
gwkeys=$(mktemp -d)
mount=vgup$(date +%s)
finish() {
  local rc=$?
  rm -rf "$out" "$out.h" "$hdr" "$gwkeys"
  stop gateway-4 >/dev/null 2>&1 || true
  vault_cli secrets disable "$mount" >/dev/null 2>&1 || true
  vault_cli policy delete "$mount-gateway" >/dev/null 2>&1 || true
  if [ "${VAULTGATE_CLUSTER_KEEP:-0}" != 1 ]; then
    cmd_down >/dev/null 2>&1 || true
    say "cluster down"
  fi
  exit $rc
}
trap finish EXIT

cmd_up
standby=
for i in "${nodes[@]}"; do
  [ "$(http_code --cacert "$tls/ca.crt" "$(vault_addr "$i")/v1/sys/health")" = 429 ] && { standby=$i; break; }
done
[ -n "$standby" ] || die "no OpenBao standby"

# The gateway's own policy plus the new mount's paths: the policy names the default mount.
vault_cli policy write "$mount-gateway" - >/dev/null <<EOF
path "$mount/data/*" { capabilities = ["create", "read", "update", "patch"] }
path "$mount/metadata/*" { capabilities = ["read"] }
EOF
umask 077
cp "$keys/mysql-password" "$gwkeys/mysql-password"
vault_cli token create -policy=vaultgate-gateway -policy="$mount-gateway" -ttl=1h -field=token \
  > "$gwkeys/gateway-token"
export VAULTGATE_VAULT_MOUNT=$mount
keys=$gwkeys start_gateway 4 "" "$(vault_port "$standby")"
unset VAULTGATE_VAULT_MOUNT
await_gateway 4
gw=http://127.0.0.1:$(gateway_port 4)
token=$(cat "$keys/admin-token")

call() { # METHOD PATH [BODY]: the status; the body to $out, the headers to $out.h
  local data=()
  [ -n "${3:-}" ] && data=(--data-binary "$3")
  printf 'Authorization: Bearer %s\n' "$token" > "$hdr"
  curl -s -o "$out" -D "$out.h" -w '%{http_code}' --max-time 20 -X "$1" -H "@$hdr" \
    -H 'Content-Type: application/json' "${data[@]}" "$gw$2" || true
}
ok() { local code; code=$(call "$@"); case "$code" in 2??) ;; *) say "$1 $2 answered $code"; exit 1 ;; esac; }

project=upgrade$(date +%s)
env=/v1/projects/$project/environments/production
ok PUT "/v1/projects/$project"
ok PUT "$env" '{"type":"production"}'

vault_cli secrets enable -path="$mount" -version=2 kv >/dev/null
say "enabled KV v2 at $mount through the leader; writing through gateway-4 on vault-$standby (a standby)"

failed=0 in_a_row=0 n=0 unavailable=0
declare -A seen
deadline=$((SECONDS + 60))
while [ $in_a_row -lt 3 ] && [ $SECONDS -lt $deadline ]; do
  n=$((n + 1))
  code=$(call PUT "$env/secrets/KEY_$n" '{"value":"v"}')
  problem=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("code"))' "$out" 2>/dev/null || echo "-")
  retry=$(grep -i '^retry-after:' "$out.h" | tr -d '\r' | cut -d' ' -f2 || true)
  case "$code" in
    2??) in_a_row=$((in_a_row + 1)); problem=- ;;
    503)
      in_a_row=0
      if [ "$problem" = value-store-unavailable ] && [ -n "$retry" ]; then
        unavailable=$((unavailable + 1))
      else
        failed=1
      fi
      ;;
    *) in_a_row=0; failed=1 ;;
  esac
  seen["$code $problem retry-after=${retry:-none}"]=$(( ${seen["$code $problem retry-after=${retry:-none}"]:-0} + 1 ))
  [ "$code" = 503 ] && sleep 0.2
done
for k in "${!seen[@]}"; do say "  write answered $k: ${seen[$k]}"; done
[ $in_a_row -ge 3 ] || { say "FAILED: writes did not succeed within 60 s"; failed=1; }
[ $failed = 0 ] || exit 1
if [ $unavailable = 0 ]; then
  # Not a pass: the case this script is for did not happen.
  say "NOT EXERCISED: no write fell in the standby's upgrade window this time; run again"
  exit 2
fi
say "PASSED: $unavailable answered 503 with Retry-After while the standby waited, then writes succeeded"
