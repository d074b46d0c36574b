#!/usr/bin/env bash
# End-to-end check of the loopback cluster (scripts/cluster.sh): brings it up, writes a secret
# through the gateways' balancer, boot-fetches it with a workload token, kills -9 the active
# OpenBao node, and checks that the next write and boot fetch succeed once a standby has taken
# over; then heals the cluster (the killed node restarts, unseals and rejoins) and takes it down.
# Prints how long the failover took. Exits non-zero on any failure.
#
#   scripts/cluster-smoke.sh            # VAULTGATE_CLUSTER_KEEP=1 leaves the cluster running
#
# Bounded: each wait has a deadline (VAULTGATE_SMOKE_TIMEOUT, default 60 s; the cluster's own
# steps: VAULTGATE_CLUSTER_TIMEOUT). Takes 2–4 minutes on two busy cores, most of it `up`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cluster=$here/cluster.sh
timeout=${VAULTGATE_SMOKE_TIMEOUT:-60}
say() { echo "cluster-smoke: $*"; }
fail() { echo "cluster-smoke: FAILED: $*" >&2; exit 1; }

out=$(mktemp)
hdr=$(mktemp)
finish() {
  local rc=$?
  rm -f "$out" "$hdr"
  if [ "${VAULTGATE_CLUSTER_KEEP:-0}" != 1 ]; then
    "$cluster" down >/dev/null 2>&1 || true
    say "cluster down"
  fi
  exit $rc
}
trap finish EXIT

"$cluster" up
eval "$("$cluster" env)"

# One call: METHOD PATH TOKEN [BODY]; prints the status, the body to $out. Tokens go in a header
# file, never on a command line.
call() {
  local method=$1 path=$2 token=$3 data=()
  [ -n "${4:-}" ] && data=(--data-binary "$4")
  printf 'Authorization: Bearer %s\n' "$token" > "$hdr"
  curl -s -o "$out" -w '%{http_code}' --max-time 10 -X "$method" -H "@$hdr" \
    -H 'Content-Type: application/json' "${data[@]}" "$VAULTGATE_ADDR$path" || true
}
ok() { # METHOD PATH TOKEN [BODY]: must answer 2xx
  local code
  code=$(call "$@")
  case "$code" in 2??) ;; *) fail "$1 $2 answered $code: $(head -c 300 "$out")" ;; esac
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$1)" "$out"; }

project=smoke$(date +%s)
deployment=/v1/projects/$project/environments/production/services/api
ok PUT "/v1/projects/$project" "$VAULTGATE_TOKEN"
ok PUT "/v1/projects/$project/environments/production" "$VAULTGATE_TOKEN" '{"type":"production"}'
ok PUT "/v1/projects/$project/services/api" "$VAULTGATE_TOKEN"
ok PUT "$deployment" "$VAULTGATE_TOKEN"

value1=before-$(openssl rand -hex 8)
ok PUT "/v1/projects/$project/environments/production/secrets/SMOKE_VALUE" "$VAULTGATE_TOKEN" "{\"value\":\"$value1\"}"
ok POST "$deployment/tokens" "$VAULTGATE_TOKEN" '{"ttlSeconds":900}'
workload=$(field '["token"]')
ok GET "/v1/env?format=json" "$workload"
[ "$(field '["SMOKE_VALUE"]')" = "$value1" ] || fail "the boot fetch did not answer the value written"
say "wrote a secret through the balancer and boot-fetched it"

# The active node, by its own health answer, and its pid from cluster.sh ps.
leader=""
while read -r kind name pid address; do
  [ "$kind" = vault ] || continue
  if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$VAULT_CACERT" "$address/v1/sys/health")" = 200 ]; then
    leader=$name leader_pid=$pid
  fi
done < <("$cluster" ps)
[ -n "$leader" ] || fail "no active OpenBao node"
kill -9 "$leader_pid"
killed_at=$(date +%s.%N)
say "killed -9 the active OpenBao node $leader (pid $leader_pid)"

elapsed() { python3 -c "import sys,time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$killed_at"; }
value2=after-$(openssl rand -hex 8)
deadline=$((SECONDS + timeout))
attempts=0
until code=$(call PUT "/v1/projects/$project/environments/production/secrets/SMOKE_VALUE" "$VAULTGATE_TOKEN" \
  "{\"value\":\"$value2\"}") && [[ $code == 2?? ]]; do
  attempts=$((attempts + 1))
  [ $SECONDS -lt $deadline ] || fail "no write acknowledged ${timeout}s after the leader's kill (last answer $code)"
  sleep 0.25
done
write_after=$(elapsed)
say "a write was acknowledged $write_after s after the kill ($attempts refused before it)"

deadline=$((SECONDS + timeout))
until code=$(call GET "/v1/env?format=json" "$workload") && [ "$code" = 200 ] \
  && [ "$(field '["SMOKE_VALUE"]' 2>/dev/null)" = "$value2" ]; do
  [ $SECONDS -lt $deadline ] || fail "no boot fetch answered the new value ${timeout}s after the kill (last $code)"
  sleep 0.25
done
fetch_after=$(elapsed)
ok POST "$deployment/tokens" "$VAULTGATE_TOKEN" '{"ttlSeconds":900}'
ok GET "/v1/env?format=json" "$(field '["token"]')"
[ "$(field '["SMOKE_VALUE"]')" = "$value2" ] || fail "a token minted after the failover did not read the new value"
say "the boot fetch answered the new value $fetch_after s after the kill; a token minted after it works"

"$cluster" heal
status=$("$cluster" status)
grep -Eq "^$leader +(standby|active)" <<<"$status" || fail "$leader did not come back unsealed: $status"
say "heal restarted, unsealed and rejoined $leader"

leaks=$(grep -l -e "$value1" -e "$value2" "${VAULTGATE_CLUSTER_DIR:-$PWD/.cluster}"/gateway-*/gateway.log \
  "${VAULTGATE_CLUSTER_DIR:-$PWD/.cluster}"/vault-audit.log 2>/dev/null || true)
[ -z "$leaks" ] || fail "a secret value reached $leaks"

echo
echo "| after kill -9 of the active OpenBao node | seconds |"
echo "| --- | --- |"
echo "| first acknowledged write | $write_after |"
echo "| first boot fetch of the new value | $fetch_after |"
say "passed"
