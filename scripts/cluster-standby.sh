#!/usr/bin/env bash
# A gateway pointed at an OpenBao standby directly while the cluster has no leader:
#   scripts/cluster-standby.sh
#
# The cluster (scripts/cluster.sh up) sends Vault calls to the active node through its balancer;
# this starts gateway-4 on a standby itself (MySQL through the balancer), writes once while all is
# well, then kills -9 the two other Vault nodes, so the standby has no leader and no quorum to
# elect one. It answers 307 naming the dead leader. Every write and boot fetch the gateway
# answers then must be 503 value-store-unavailable with Retry-After (never 2xx, 500 or 502),
# until the breaker opens, which answers the same. It heals the cluster at the end. Exit 1 on
# any other answer. VAULTGATE_CLUSTER_KEEP=1 leaves it up.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"

out=$(mktemp)
hdr=$(mktemp)
finish() {
  local rc=$?
  rm -f "$out" "$hdr"
  stop gateway-4 >/dev/null 2>&1 || true
  if [ "${VAULTGATE_CLUSTER_KEEP:-0}" != 1 ]; then
    cmd_down >/dev/null 2>&1 || true
    say "cluster down"
  else
    ensure_all >/dev/null 2>&1 || true
    say "healed"
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
start_gateway 4 "" "$(vault_port "$standby")"
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

project=standby$(date +%s)
env=/v1/projects/$project/environments/production
ok PUT "/v1/projects/$project"
ok PUT "$env" '{"type":"production"}'
ok PUT "$env/secrets/BEFORE" '{"value":"one"}'
say "gateway-4 on vault-$standby (a standby) wrote through it"

for i in "${nodes[@]}"; do
  [ "$i" = "$standby" ] || kill -9 "$(pid_of "vault-$i")" 2>/dev/null || true
done
say "killed the other two OpenBao nodes: vault-$standby has no leader"
sleep 3

failed=0
declare -A seen
for n in $(seq 1 12); do
  code=$(call PUT "$env/secrets/DURING_$n" '{"value":"two"}')
  problem=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("code"))' "$out" 2>/dev/null || echo "-")
  retry=$(grep -i '^retry-after:' "$out.h" | tr -d '\r' | cut -d' ' -f2 || true)
  seen["$code $problem retry-after=${retry:-none}"]=$(( ${seen["$code $problem retry-after=${retry:-none}"]:-0} + 1 ))
  if [ "$code" != 503 ] || [ "$problem" != value-store-unavailable ] || [ -z "$retry" ]; then failed=1; fi
done
for k in "${!seen[@]}"; do say "  write answered $k: ${seen[$k]}"; done
exit $failed
