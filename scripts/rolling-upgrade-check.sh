#!/usr/bin/env bash
# A rolling upgrade whose release adds a migration, on the loopback cluster:
#   scripts/rolling-upgrade-check.sh
#
# Brings the cluster up (scripts/cluster.sh), then runs writes (one key rewritten with a new value
# each time) and boot fetches through the gateways' balancer without a pause, while it replaces
# the three replicas one by one (`cluster.sh replace-gateway N`: drain in the balancer, wait until
# no request is in flight there, SIGTERM, start) by the "next release": the same jar with one
# more migration location, src/test/resources/db/rolling-upgrade (V14: a nullable column and an
# index on change_set, expand only, as docs/upgrading.md asks). The first replaced replica
# migrates while the two old ones keep serving from the expanded schema. Checks: no request
# failed (so none was answered 502, what HAProxy says for a request cut on a replica), the last
# acknowledged value is the one served, V14 is applied once and the column exists. Takes the
# cluster down at the end (VAULTGATE_CLUSTER_KEEP=1 leaves it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cluster=$here/cluster.sh
dir=${VAULTGATE_CLUSTER_DIR:-$PWD/.cluster}
say() { echo "rolling-upgrade: $*"; }
fail() { echo "rolling-upgrade: FAILED: $*" >&2; exit 1; }

work=$(mktemp -d)
out=$work/out
loaders=()
finish() {
  local rc=$? pid
  for pid in "${loaders[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  if [ "${VAULTGATE_CLUSTER_KEEP:-0}" != 1 ]; then "$cluster" down >/dev/null 2>&1 || true; fi
  exit $rc
}
trap finish EXIT

call() { # METHOD PATH TOKEN BODY OUTFILE -> status. Tokens go in a header file only.
  local h
  h=$(mktemp -p "$work")
  printf 'Authorization: Bearer %s\n' "$3" > "$h"
  curl -s -o "$5" -w '%{http_code}' --max-time 10 -X "$1" -H "@$h" -H 'Content-Type: application/json' \
    ${4:+--data-binary "$4"} "$VAULTGATE_ADDR$2" || true
  rm -f "$h"
}
ok() {
  local code
  code=$(call "$1" "$2" "$3" "${4:-}" "$out")
  case "$code" in 2??) ;; *) fail "$1 $2 answered $code: $(head -c 300 "$out")" ;; esac
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$1)" "$out"; }

"$cluster" up
eval "$("$cluster" env)"
project=rolling$(date +%s)
deployment=/v1/projects/$project/environments/production/services/api
secret=/v1/projects/$project/environments/production/secrets/RELEASE_PROBE
ok PUT "/v1/projects/$project" "$VAULTGATE_TOKEN"
ok PUT "/v1/projects/$project/environments/production" "$VAULTGATE_TOKEN" '{"type":"production"}'
ok PUT "/v1/projects/$project/services/api" "$VAULTGATE_TOKEN"
ok PUT "$deployment" "$VAULTGATE_TOKEN"
ok POST "$deployment/tokens" "$VAULTGATE_TOKEN" '{"ttlSeconds":1800}'
workload=$(field '["token"]')

# Writer: v1, v2, ... one after another; each answer's status goes to writes.log.
(
  n=0
  while [ ! -e "$work/stop" ] && [ $n -lt 100000 ]; do
    n=$((n + 1))
    echo "$n $(call PUT "$secret" "$VAULTGATE_TOKEN" "{\"value\":\"v$n\"}" "$work/w.out")" >> "$work/writes.log"
  done
) &
loaders+=($!)
# Boot fetches with the workload token, one after another.
(
  n=0
  while [ ! -e "$work/stop" ] && [ $n -lt 100000 ]; do
    n=$((n + 1))
    echo "$(call GET "/v1/env?format=json" "$workload" "" "$work/f.out")" >> "$work/fetches.log"
  done
) &
loaders+=($!)

sleep 5
for i in 1 2 3; do
  FLYWAY_DATASOURCES_DEFAULT_LOCATIONS="classpath:db/migration,filesystem:$root/src/test/resources/db/rolling-upgrade" \
    "$cluster" replace-gateway "$i"
  sleep 3
done
touch "$work/stop"
wait "${loaders[@]}" 2>/dev/null || true
loaders=()

writes=$(wc -l < "$work/writes.log")
fetches=$(wc -l < "$work/fetches.log")
failed_writes=$(awk '$2 !~ /^2/' "$work/writes.log" | wc -l)
failed_fetches=$(grep -cv '^200$' "$work/fetches.log" || true)
answered_502=$( (awk '{ print $2 }' "$work/writes.log"; cat "$work/fetches.log") | grep -c '^502$' || true)
say "writes: $writes, failed: $failed_writes; boot fetches: $fetches, failed: $failed_fetches; answered 502: $answered_502"
[ "$failed_writes" -eq 0 ] || fail "failed writes: $(awk '$2 !~ /^2/ { print $2 }' "$work/writes.log" | sort | uniq -c | tr '\n' ' ')"
[ "$failed_fetches" -eq 0 ] || fail "failed boot fetches: $(grep -v '^200$' "$work/fetches.log" | sort | uniq -c | tr '\n' ' ')"

last=$(tail -n 1 "$work/writes.log" | cut -d' ' -f1)
ok GET "/v1/env?format=json" "$workload"
[ "$(field '["RELEASE_PROBE"]')" = "v$last" ] || fail "the boot fetch answered $(field '["RELEASE_PROBE"]'), not the last acknowledged v$last"

q() { printf '%s\n' "$1" | mariadb --defaults-file="$dir/mysql-1/my.cnf" --protocol=socket -uroot --batch --skip-column-names; }
[ "$(q "SELECT COUNT(*) FROM vaultgate.flyway_schema_history WHERE version = '14' AND success = 1")" = 1 ] \
  || fail "V14 is not recorded once as applied"
[ "$(q "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'vaultgate' AND table_name = 'change_set' AND column_name = 'rollout_probe'")" = 1 ] \
  || fail "change_set.rollout_probe does not exist"
say "PASSED: 3 replicas replaced, V14 applied once by the first, v$last served, no request failed"
